/** A signed-in person changes their own password on the account page. */
import type { RevokedAll } from '../account.js';
import { endPersonSessions } from '../endPersonSessions.js';
import type { Keyturn } from '../context.js';
import { PasswordChangeError } from '../errors.js';
import { sha256Hex } from '../lib/crypto.js';
import { hashSecret, verifySecret } from '../passwords.js';
import { passwordProblem } from '../passwordRules.js';
import type { LiveSso } from '../sso.js';
import { countAttempt } from '../throttle.js';

export interface PasswordChange {
  current: string;
  next: string;
  /** Where the request came from, for the audit trail. */
  address?: string | null | undefined;
}

/**
 * Replaces the password of the person signed in as `live` when `current` is their password and
 * the password rules accept `next`; then signs out every app and every other browser of theirs
 * (this browser stays signed in). Wrong current passwords count against the same limit as
 * failed sign-ins of the account, so the form cannot be used to guess it.
 * Throws `PasswordChangeError` (`ERR_WRONG_PASSWORD`, `ERR_WEAK_PASSWORD`, `ERR_TOO_MANY_ATTEMPTS`).
 *
 * @example
 * ```ts
 * const { apps, browsers } = await changeOwnPassword(kt, live, { current, next, address: request.ip });
 * ```
 */
export async function changeOwnPassword(kt: Keyturn, live: LiveSso, change: PasswordChange): Promise<RevokedAll> {
  const { user } = live;
  const { loginLockAfter, loginWindowSec } = kt.config;
  // The sign-in throttle's key for this account: guesses here and at sign-in add up.
  const key = `acct:${sha256Hex(user.email)}`;
  if ((await countAttempt(kt.attempts, [key], loginLockAfter, loginWindowSec * 1000)) === null) {
    throw new PasswordChangeError('ERR_TOO_MANY_ATTEMPTS', `Too many wrong passwords. Try again in ${Math.ceil(loginWindowSec / 60)} minutes.`);
  }
  if (!(await verifySecret(kt, user.passwordHash, change.current))) {
    await kt.events.emit({ type: 'signin.failed', userId: user.id, email: user.email, address: change.address, actor: 'person', detail: 'wrong current password on the account page' });
    throw new PasswordChangeError('ERR_WRONG_PASSWORD', 'Your current password is not right. Nothing was changed.');
  }
  await kt.attempts.reset(key);
  const problem = await passwordProblem(change.next, { email: user.email });
  if (problem !== null) throw new PasswordChangeError('ERR_WEAK_PASSWORD', `${problem[0]!.toUpperCase()}${problem.slice(1)}.`);
  await kt.repo.setUserPasswordHash(user.id, await hashSecret(kt, change.next));
  const ended = await endPersonSessions(kt, user.id, { keepSsoSessionId: live.session.id, reason: 'password changed by the person' });
  await kt.events.emit({ type: 'password.changed', userId: user.id, email: user.email, address: change.address, actor: 'person', detail: `${ended.apps} apps, ${ended.browsers} other browsers signed out` });
  return ended;
}
