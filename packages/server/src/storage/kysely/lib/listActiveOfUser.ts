/** The one meaning of "a person's active grants / SSO sessions": neither revoked nor expired, newest first. */
import { sql, type Kysely } from 'kysely';
import type { EpochMs } from '../../records.js';
import type { Database } from '../schema.js';

/**
 * The rows of `table` that belong to `userId`, are not revoked and are still valid at `now`
 * (one ending exactly at `now` has ended), newest first by `created_at`, then `id`.
 *
 * @example
 * ```ts
 * const grants = (await listActiveOfUser(db, 'grants', userId, Date.now())).map(rowToGrant);
 * ```
 */
export async function listActiveOfUser<T extends 'grants' | 'sso_sessions'>(
  db: Kysely<Database>,
  table: T,
  userId: string,
  now: EpochMs,
): Promise<Database[T][]> {
  const result = await sql<Database[T]>`
    select * from ${sql.table(table)}
    where user_id = ${userId} and revoked_at is null and expires_at > ${now}
    order by created_at desc, id desc`.execute(db);
  return result.rows;
}
