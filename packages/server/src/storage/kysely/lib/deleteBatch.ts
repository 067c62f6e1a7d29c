/** The one bounded delete that housekeeping repeats for every table it cleans. */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../schema.js';
import { affectedRows } from './affectedRows.js';

/**
 * Deletes at most `limit` rows of `table`: those whose primary key `key` is among the first
 * `limit` values `candidates` selects. A subquery rather than `DELETE … LIMIT`, which
 * neither PostgreSQL nor a default SQLite build accepts. Returns how many rows went.
 *
 * @example
 * ```ts
 * const gone = await deleteBatch(db, 'auth_codes', 'code_hash',
 *   db.selectFrom('auth_codes').select('code_hash').where('expires_at', '<', now), 500);
 * ```
 */
export async function deleteBatch<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  key: keyof Database[T] & string,
  candidates: SelectQueryBuilder<Database, never, Record<string, string>>,
  limit: number,
): Promise<number> {
  const r = await sql`delete from ${sql.table(table)} where ${sql.ref(key)} in (${candidates.limit(limit)})`.execute(db);
  return affectedRows(r.numAffectedRows);
}
