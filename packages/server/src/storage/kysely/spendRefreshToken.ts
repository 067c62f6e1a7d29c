/**
 * `spendRefreshToken`: rotation's atomic step, the presented token marked spent and its
 * successor stored, or nothing when it was spent already. On PostgreSQL one statement (an
 * UPDATE in a WITH, the INSERT reading what it spent): one round trip, atomic on its own. On
 * SQLite, whose WITH cannot hold an UPDATE, one immediate transaction of the two statements.
 * Both compiled once (`compileOnce`).
 */
import { sql, type Kysely } from 'kysely';
import type { EpochMs, RefreshTokenRecord } from '../records.js';
import type { Repository } from '../repository.js';
import { affectedRows } from './lib/affectedRows.js';
import { compileOnce } from './lib/compileOnce.js';
import type { Database } from './schema.js';

// On PostgreSQL a concurrent caller blocks on the row lock the UPDATE takes, then re-checks
// `spent_at` after we commit and matches nothing, so it inserts nothing.
const spendAndInsert = compileOnce((db: Kysely<Database>) => ({
  compile: () =>
    sql`WITH spent AS (
      UPDATE refresh_tokens SET spent_at = ${0}, successor_hash = ${''} WHERE token_hash = ${''} AND spent_at IS NULL RETURNING token_hash
    )
    INSERT INTO refresh_tokens (token_hash, grant_id, parent_hash, created_at, expires_at, spent_at, successor_hash)
    SELECT ${''}, ${''}, ${''}, ${0}::bigint, ${0}::bigint, ${null}::bigint, ${null} FROM spent`.compile(db),
}));

const spend = compileOnce((db: Kysely<Database>) =>
  db.updateTable('refresh_tokens').set({ spent_at: 0, successor_hash: '' }).where('token_hash', '=', '').where('spent_at', 'is', null),
);

const insert = compileOnce((db: Kysely<Database>) =>
  db.insertInto('refresh_tokens').values({ token_hash: '', grant_id: '', parent_hash: '', created_at: 0, expires_at: 0, spent_at: 0, successor_hash: '' }),
);

/**
 * Spends `tokenHash` at `at` with `successor` as its successor, atomically; false when it was spent already.
 *
 * @example
 * ```ts
 * if (await spendRefreshToken(db, 'postgres', record.tokenHash, successor, now)) return successorToken;
 * ```
 */
export async function spendRefreshToken(db: Kysely<Database>, kind: Repository['kind'], tokenHash: string, successor: RefreshTokenRecord, at: EpochMs): Promise<boolean> {
  const row = [successor.tokenHash, successor.grantId, successor.parentHash, successor.createdAt, successor.expiresAt, successor.spentAt, successor.successorHash];
  if (kind === 'postgres') {
    return affectedRows((await spendAndInsert(db, [at, successor.tokenHash, tokenHash, ...row])).numAffectedRows) === 1;
  }
  return db.transaction().execute(async (trx) => {
    if (affectedRows((await spend(db, [at, successor.tokenHash, tokenHash], trx)).numAffectedRows) !== 1) return false;
    await insert(db, row, trx);
    return true;
  });
}
