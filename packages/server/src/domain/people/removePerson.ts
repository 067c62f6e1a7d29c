/** Removing a person for good. */
import type { UserRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { ManagementError } from '../errors.js';
import { findPerson } from './findPerson.js';

/**
 * Deletes the person with this email together with their SSO sessions, grants, refresh tokens
 * and codes (one statement: the foreign keys cascade), so nothing of theirs works on any
 * process any more. Their audit trail stays, under their id and email.
 *
 * @example
 * ```ts
 * const removed = await removePerson(kt, 'eve@example.com');
 * ```
 */
export async function removePerson(kt: Keyturn, email: string): Promise<UserRecord> {
  const user = await findPerson(kt, email);
  if (!(await kt.repo.deleteUser(user.id))) throw new ManagementError('ERR_NOT_FOUND', `no user with email ${user.email}`);
  await kt.events.emit({ type: 'user.removed', userId: user.id, email: user.email, actor: 'operator' });
  return user;
}
