/** The operator sets a new password for a person (a reset). */
import type { UserRecord } from '../../storage/records.js';
import type { RevokedAll } from '../account.js';
import { endPersonSessions } from '../endPersonSessions.js';
import type { Keyturn } from '../context.js';
import { ManagementError } from '../errors.js';
import { hashSecret } from '../passwords.js';
import { passwordProblem } from '../passwordRules.js';
import { findPerson } from './findPerson.js';

/**
 * Gives the person with this email a new password, checked by the password rules, and ends
 * every SSO session and grant of theirs: whoever knew the old one is out everywhere at once.
 * Throws `ManagementError` `ERR_INVALID` (saying why) for a password the rules refuse.
 *
 * @example
 * ```ts
 * const { apps, browsers } = await setPassword(kt, 'ada@example.com', newPassword);
 * ```
 */
export async function setPassword(kt: Keyturn, email: string, password: string): Promise<RevokedAll & { user: UserRecord }> {
  const user = await findPerson(kt, email);
  const problem = await passwordProblem(password, { email: user.email });
  if (problem !== null) throw new ManagementError('ERR_INVALID', problem);
  await kt.repo.setUserPasswordHash(user.id, await hashSecret(kt, password));
  const ended = await endPersonSessions(kt, user.id, { keepSsoSessionId: null, reason: 'password set by the operator' });
  await kt.events.emit({ type: 'password.changed', userId: user.id, email: user.email, actor: 'operator', detail: `${ended.apps} apps, ${ended.browsers} browsers signed out` });
  return { ...ended, user };
}
