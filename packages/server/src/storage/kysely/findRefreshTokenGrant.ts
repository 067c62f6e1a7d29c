/**
 * `findRefreshTokenGrant`: a refresh token, its grant, the grant's client and user in one
 * statement (refresh_tokens INNER JOIN grants INNER JOIN clients LEFT JOIN users), where reading
 * them one by one took four round trips: a refresh is one query. On PostgreSQL the lookups of one
 * event-loop turn share that query (`batchPerTurn`): one round trip for all of them.
 */
import type { Kysely } from 'kysely';
import { batchPerTurn, MAX_BATCH } from './lib/batchPerTurn.js';
import { compileOnce } from './lib/compileOnce.js';
import type { RefreshTokenGrant } from '../records.js';
import type { Repository } from '../repository.js';
import { rowToClient, rowToGrant, rowToRefreshToken, rowToUser } from './rows.js';
import type { Database } from './schema.js';

/**
 * The select list. The grant's columns keep their names; the others, which would collide with
 * them (id, created_at, expires_at), are prefixed. Named, not g.*: a column added by a later
 * migration must not change the result type under a prepared statement's plan (PostgreSQL
 * refuses that).
 */
const COLUMNS = [
  'g.id',
  'g.client_id',
  'g.user_id',
  'g.sso_session_id',
  'g.scope',
  'g.auth_time',
  'g.created_at',
  'g.expires_at',
  'g.last_used_at',
  'g.revoked_at',
  'g.revoked_reason',
  'g.user_agent',
  'rt.token_hash as rt_token_hash',
  'rt.grant_id as rt_grant_id',
  'rt.parent_hash as rt_parent_hash',
  'rt.created_at as rt_created_at',
  'rt.expires_at as rt_expires_at',
  'rt.spent_at as rt_spent_at',
  'rt.successor_hash as rt_successor_hash',
  'c.id as c_id',
  'c.name as c_name',
  'c.secret_hash as c_secret_hash',
  'c.redirect_uris as c_redirect_uris',
  'c.scopes as c_scopes',
  'c.refresh_policy as c_refresh_policy',
  'c.refresh_ttl_sec as c_refresh_ttl_sec',
  'c.refresh_idle_ttl_sec as c_refresh_idle_ttl_sec',
  'c.created_at as c_created_at',
  'c.grant_types as c_grant_types',
  'u.id as u_id',
  'u.email as u_email',
  'u.password_hash as u_password_hash',
  'u.name as u_name',
  'u.created_at as u_created_at',
  'u.status as u_status',
] as const;

/** Token, grant, client and user joined, the columns of `COLUMNS` selected. */
const joined = (db: Kysely<Database>) =>
  db
    .selectFrom('refresh_tokens as rt')
    .innerJoin('grants as g', 'g.id', 'rt.grant_id')
    .innerJoin('clients as c', 'c.id', 'g.client_id')
    .leftJoin('users as u', 'u.id', 'g.user_id')
    .select(COLUMNS);

/** The query, compiled once per database (`compileOnce`), its rows as arrays in the order of `COLUMNS`; its one parameter is the token hash. */
const byTokenHash = compileOnce((db: Kysely<Database>) => joined(db).where('rt.token_hash', '=', ''), { rows: 'arrays' });

/**
 * The same query for up to `size` token hashes (`in ($1, …, $size)`), one per size of `SIZES`: a
 * batch is padded to the next size with '' (no token's hash). Fixed lists, not `= any($1)`: with
 * an array parameter PostgreSQL cannot tell how many hashes come, so it kept planning the join
 * anew on every call (0.3 ms of the database's CPU each); a list of `size` parameters has one plan.
 */
const SIZES = [4, 16, 64, MAX_BATCH];
const byTokenHashes = SIZES.map((size) =>
  compileOnce((db: Kysely<Database>) => joined(db).where('rt.token_hash', 'in', Array<string>(size).fill('')), { rows: 'arrays' }),
);

/** Rows for `hashes` (at most `MAX_BATCH`, a batch's most), in one query. */
async function rowsOf(db: Kysely<Database>, hashes: string[]): Promise<readonly AnyRow[]> {
  if (hashes.length === 1) return (await byTokenHash(db, hashes)).rows;
  const i = SIZES.findIndex((size) => size >= hashes.length);
  const padded = [...hashes, ...Array<string>(SIZES[i]! - hashes.length).fill('')];
  return (await byTokenHashes[i]!(db, padded)).rows;
}

/** A row of the query as an object keyed by the names of `COLUMNS` (how kysely types it). */
type Row = Exclude<Awaited<ReturnType<typeof byTokenHash>>['rows'][number], readonly unknown[]>;

/** A row as a database handle answers it: an array in the order of `COLUMNS`, or a `Row`. */
type AnyRow = Row | readonly unknown[];

/** The position of each name of `Row` in `COLUMNS`: the alias, else the column (kysely's rule). */
const POSITION = Object.fromEntries(COLUMNS.map((column, i) => [column.split(/ as |\./).pop()!, i])) as Record<keyof Row, number>;

/**
 * The row as a reader of its columns by name: an array from the database handles that answer
 * arrays (`returnsArrays`), an object from any other (a kysely instance opened without them).
 */
function columnsOf(row: AnyRow): <K extends keyof Row>(name: K) => Row[K] {
  if (Array.isArray(row)) return (name) => row[POSITION[name]] as Row[typeof name];
  return (name) => (row as Row)[name];
}

/**
 * `Repository.findRefreshTokenGrant` over `db`: the refresh token whose hash it is given, with
 * its grant, the grant's client and user (`null` when the user is gone); `null` when no token has
 * that hash. Spent tokens and revoked grants are returned as they are: judging them is the
 * domain's rule. On PostgreSQL the lookups of one event-loop turn share one query.
 *
 * @example
 * ```ts
 * const findRefreshTokenGrant = refreshTokenGrantLookup(db, 'sqlite');
 * const found = await findRefreshTokenGrant(sha256Hex(refreshToken));
 * if (found === null || found.grant.revokedAt !== null) throw invalidGrant();
 * ```
 */
export function refreshTokenGrantLookup(db: Kysely<Database>, kind: Repository['kind']): (tokenHash: string) => Promise<RefreshTokenGrant | null> {
  const rowOf =
    kind === 'postgres'
      ? batchPerTurn(async (hashes: string[]) => {
          const rows = await rowsOf(db, [...new Set(hashes)]);
          const found = new Map(rows.map((row) => [columnsOf(row)('rt_token_hash'), row]));
          return hashes.map((hash) => found.get(hash));
        })
      : async (tokenHash: string) => (await byTokenHash(db, [tokenHash])).rows[0];
  return async (tokenHash) => {
    const found = await rowOf(tokenHash);
    return found === undefined ? null : toRecords(found);
  };
}

/** The records of one row: each call builds its own, so two callers of one token share nothing. */
function toRecords(found: AnyRow): RefreshTokenGrant {
  const column = columnsOf(found);

  const token = rowToRefreshToken({
    token_hash: column('rt_token_hash'),
    grant_id: column('rt_grant_id'),
    parent_hash: column('rt_parent_hash'),
    created_at: column('rt_created_at'),
    expires_at: column('rt_expires_at'),
    spent_at: column('rt_spent_at'),
    successor_hash: column('rt_successor_hash'),
  });
  // LEFT JOIN: with no user row every u_ column is null, though the schema makes them NOT NULL.
  const id = column('u_id');
  const email = column('u_email');
  const passwordHash = column('u_password_hash');
  const createdAt = column('u_created_at');
  const status = column('u_status');
  const user =
    id === null || email === null || passwordHash === null || createdAt === null || status === null
      ? null
      : rowToUser({ id, email, password_hash: passwordHash, name: column('u_name'), created_at: createdAt, status });
  const client = rowToClient({
    id: column('c_id'),
    name: column('c_name'),
    secret_hash: column('c_secret_hash'),
    redirect_uris: column('c_redirect_uris'),
    scopes: column('c_scopes'),
    refresh_policy: column('c_refresh_policy'),
    refresh_ttl_sec: column('c_refresh_ttl_sec'),
    refresh_idle_ttl_sec: column('c_refresh_idle_ttl_sec'),
    created_at: column('c_created_at'),
    grant_types: column('c_grant_types'),
  });
  const grant = rowToGrant({
    id: column('id'),
    client_id: column('client_id'),
    user_id: column('user_id'),
    sso_session_id: column('sso_session_id'),
    scope: column('scope'),
    auth_time: column('auth_time'),
    created_at: column('created_at'),
    expires_at: column('expires_at'),
    last_used_at: column('last_used_at'),
    revoked_at: column('revoked_at'),
    revoked_reason: column('revoked_reason'),
    user_agent: column('user_agent'),
  });
  return { token, grant, client, user };
}
