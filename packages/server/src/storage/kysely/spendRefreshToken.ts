/**
 * `spendRefreshToken`: rotation's atomic step, the presented token marked spent and its
 * successor stored, or nothing when it was spent already. The spends of one event-loop turn are
 * made together (`batchPerTurn`). On PostgreSQL one statement (an UPDATE in a WITH, the INSERT
 * reading what it spent), atomic on its own: one round trip for all of them. On SQLite, whose WITH
 * cannot hold an UPDATE, one immediate transaction of two statements a spend: one COMMIT for all
 * of them. All compiled once (`compileOnce`).
 */
import { sql, type Kysely } from 'kysely';
import type { EpochMs, RefreshTokenRecord } from '../records.js';
import type { Repository } from '../repository.js';
import { affectedRows } from './lib/affectedRows.js';
import { batchPerTurn } from './lib/batchPerTurn.js';
import { compileOnce } from './lib/compileOnce.js';
import type { Database } from './schema.js';

/** One spend: the token, its successor and the time. */
interface Spend {
  tokenHash: string;
  successor: RefreshTokenRecord;
  at: EpochMs;
}

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

// Many spends in one statement: the inputs as parallel arrays, one element per spend (no token
// twice: see `spendAllInOneStatement`); the answer names the tokens this statement spent.
const spendAndInsertAll = compileOnce((db: Kysely<Database>) => ({
  compile: () =>
    sql`WITH input AS (
      SELECT * FROM unnest(${[]}::text[], ${[]}::int8[], ${[]}::text[], ${[]}::text[], ${[]}::text[], ${[]}::int8[], ${[]}::int8[], ${[]}::int8[], ${[]}::text[])
        AS i(spend_hash, spend_at, token_hash, grant_id, parent_hash, created_at, expires_at, spent_at, successor_hash)
    ), spent AS (
      UPDATE refresh_tokens rt SET spent_at = i.spend_at, successor_hash = i.token_hash
      FROM input i WHERE rt.token_hash = i.spend_hash AND rt.spent_at IS NULL RETURNING rt.token_hash
    ), inserted AS (
      INSERT INTO refresh_tokens (token_hash, grant_id, parent_hash, created_at, expires_at, spent_at, successor_hash)
      SELECT i.token_hash, i.grant_id, i.parent_hash, i.created_at, i.expires_at, i.spent_at, i.successor_hash FROM input i JOIN spent s ON s.token_hash = i.spend_hash
    )
    SELECT token_hash FROM spent`.compile(db),
}));

const spend = compileOnce((db: Kysely<Database>) =>
  db.updateTable('refresh_tokens').set({ spent_at: 0, successor_hash: '' }).where('token_hash', '=', '').where('spent_at', 'is', null),
);

const insert = compileOnce((db: Kysely<Database>) =>
  db.insertInto('refresh_tokens').values({ token_hash: '', grant_id: '', parent_hash: '', created_at: 0, expires_at: 0, spent_at: 0, successor_hash: '' }),
);

/**
 * `Repository.spendRefreshToken` over `db`: spends a token at a time with a successor,
 * atomically; false when it was spent already. The spends of one event-loop turn are made together.
 *
 * @example
 * ```ts
 * const spendRefreshToken = refreshTokenSpender(db, 'postgres');
 * if (await spendRefreshToken(record.tokenHash, successor, now)) return successorToken;
 * ```
 */
export function refreshTokenSpender(db: Kysely<Database>, kind: Repository['kind']): (tokenHash: string, successor: RefreshTokenRecord, at: EpochMs) => Promise<boolean> {
  const spendOne = batchPerTurn((spends: Spend[]) => (kind === 'postgres' ? spendAllInOneStatement(db, spends) : spendAllInOneTransaction(db, spends)));
  return (tokenHash, successor, at) => spendOne({ tokenHash, successor, at });
}

/** The successor's columns in the order of the INSERTs. */
const successorColumns = (successor: RefreshTokenRecord) =>
  [successor.tokenHash, successor.grantId, successor.parentHash, successor.createdAt, successor.expiresAt, successor.spentAt, successor.successorHash] as const;

/**
 * PostgreSQL: the spends of one batch in one statement, whether each spent its token. A token
 * asked twice is spent once, by its first spend; the others answer false once the statement has
 * committed, as they would have after losing the race on their own. When the statement fails (a
 * deadlock between two batches locking rows in another order, a constraint), the spends are
 * retried one by one, so that one spend's failure stays its own.
 */
async function spendAllInOneStatement(db: Kysely<Database>, spends: Spend[]): Promise<readonly (boolean | Promise<boolean>)[]> {
  const first = new Map<string, Spend>();
  for (const spend of spends) if (!first.has(spend.tokenHash)) first.set(spend.tokenHash, spend);
  if (first.size === 1) return spendOneByOne(spends, (spend) => spendAlonePostgres(db, spend));
  const unique = [...first.values()];
  const columns = unique.map((spend) => successorColumns(spend.successor));
  let spent: Set<string>;
  try {
    const { rows } = await spendAndInsertAll(db, [
      unique.map((spend) => spend.tokenHash),
      unique.map((spend) => spend.at),
      ...[0, 1, 2, 3, 4, 5, 6].map((column) => columns.map((row) => row[column])),
    ]);
    spent = new Set(rows.map((row) => (row as { token_hash: string }).token_hash));
  } catch {
    return spendOneByOne(spends, (spend) => spendAlonePostgres(db, spend));
  }
  return spends.map((spend) => first.get(spend.tokenHash) === spend && spent.has(spend.tokenHash));
}

/**
 * SQLite: the spends of one batch in one immediate transaction, one COMMIT for all of them, in
 * the order they came (a token asked twice is spent by the first; the second finds it spent).
 * When any statement fails, nothing of the batch is kept and each spend runs again in a
 * transaction of its own, so that one spend's failure stays its own.
 */
async function spendAllInOneTransaction(db: Kysely<Database>, spends: Spend[]): Promise<readonly (boolean | Promise<boolean>)[]> {
  if (spends.length === 1) return [spendAloneSqlite(db, spends[0]!)];
  try {
    return await db.transaction().execute(async (trx) => {
      const spent: boolean[] = [];
      for (const spend of spends) spent.push(await spendInSqlite(db, trx, spend));
      return spent;
    });
  } catch {
    return spendOneByOne(spends, (spend) => spendAloneSqlite(db, spend));
  }
}

/** SQLite: one spend's two statements in `trx`. */
async function spendInSqlite(db: Kysely<Database>, trx: Kysely<Database>, { tokenHash, successor, at }: Spend): Promise<boolean> {
  if (affectedRows((await spend(db, [at, successor.tokenHash, tokenHash], trx)).numAffectedRows) !== 1) return false;
  await insert(db, successorColumns(successor), trx);
  return true;
}

const spendAloneSqlite = (db: Kysely<Database>, spend: Spend) => db.transaction().execute((trx) => spendInSqlite(db, trx, spend));

const spendAlonePostgres = async (db: Kysely<Database>, { tokenHash, successor, at }: Spend) =>
  affectedRows((await spendAndInsert(db, [at, successor.tokenHash, tokenHash, ...successorColumns(successor)])).numAffectedRows) === 1;

/** Each spend on its own (`alone`); those of one token one after the other, as they came. */
function spendOneByOne(spends: Spend[], alone: (spend: Spend) => Promise<boolean>): Promise<boolean>[] {
  const previous = new Map<string, Promise<boolean>>();
  return spends.map((spend) => {
    const before = previous.get(spend.tokenHash);
    const result = before === undefined ? alone(spend) : before.then(() => alone(spend), () => alone(spend));
    previous.set(spend.tokenHash, result);
    return result;
  });
}
