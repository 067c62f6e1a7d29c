/** Finding a person by email for the operator's commands, or saying there is none. */
import type { UserRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { ManagementError } from '../errors.js';
import { normaliseEmail } from '../users.js';

/**
 * The person with this email (compared as stored: trimmed, lower case).
 * Throws `ManagementError` `ERR_NOT_FOUND` when there is none.
 *
 * @example
 * ```ts
 * const ada = await findPerson(kt, 'Ada@Example.com');
 * ```
 */
export async function findPerson(kt: Keyturn, email: string): Promise<UserRecord> {
  const normalised = normaliseEmail(email);
  const user = normalised.includes('\0') ? null : await kt.repo.findUserByEmail(normalised);
  if (!user) throw new ManagementError('ERR_NOT_FOUND', `no user with email ${normalised}`);
  return user;
}
