/** Enabling a disabled person again. */
import type { UserRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { findPerson } from './findPerson.js';

/**
 * Lets the person with this email sign in again. What disabling ended stays ended: they sign
 * in afresh and apps ask them again.
 *
 * @example
 * ```ts
 * const user = await enablePerson(kt, 'eve@example.com'); // user.status === 'active'
 * ```
 */
export async function enablePerson(kt: Keyturn, email: string): Promise<UserRecord> {
  const user = await findPerson(kt, email);
  await kt.repo.setUserStatus(user.id, 'active');
  await kt.events.emit({ type: 'user.enabled', userId: user.id, email: user.email, actor: 'operator' });
  return { ...user, status: 'active' };
}
