/** Disabling a person: they cannot sign in, and everything issued to them stops working at once. */
import type { UserRecord } from '../../storage/records.js';
import type { RevokedAll } from '../account.js';
import { endPersonSessions } from '../endPersonSessions.js';
import type { Keyturn } from '../context.js';
import { findPerson } from './findPerson.js';

/**
 * Disables the person with this email: marks them disabled, then revokes every grant and ends
 * every SSO session of theirs, each in one statement on the shared database, so every server
 * process refuses their refresh tokens, NPSSO and access tokens from the next request on.
 * Disabling someone already disabled ends whatever is left and changes nothing else.
 *
 * @example
 * ```ts
 * const { user, apps, browsers } = await disablePerson(kt, 'eve@example.com');
 * ```
 */
export async function disablePerson(kt: Keyturn, email: string): Promise<RevokedAll & { user: UserRecord }> {
  const user = await findPerson(kt, email);
  // Status first: whatever is issued while the sessions end is refused by the status check.
  await kt.repo.setUserStatus(user.id, 'disabled');
  const ended = await endPersonSessions(kt, user.id, { keepSsoSessionId: null, reason: 'person disabled by the operator' });
  await kt.events.emit({ type: 'user.disabled', userId: user.id, email: user.email, actor: 'operator', detail: `${ended.apps} apps, ${ended.browsers} browsers signed out` });
  return { ...ended, user: { ...user, status: 'disabled' } };
}
