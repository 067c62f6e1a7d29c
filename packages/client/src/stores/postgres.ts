/** The PostgreSQL `TokenStore` (`@keyturn/client/stores/postgres`) on pg, an optional peer dependency. */
import { StoreError } from '../vault/errors.js';
import type { TokenStore } from '../vault/types.js';
import { loadDriver } from './lib/loadDriver.js';
import { withPolledLock, type LockBackend } from './lib/pollLock.js';
import { quoteIdentifier } from './lib/quoteIdentifier.js';
import { validateKey } from './lib/validateKey.js';

/**
 * What this store needs from a pg `Pool` (or `Client`): `query` with positional parameters.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * const pool: PgQueryable = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/**
 * Options of {@link createPostgresStore}: connection settings, or a pool/client you manage.
 *
 * @example
 * ```ts
 * const options: PostgresStoreOptions = { connectionString: 'postgres://app@db/app', table: 'client_tokens' };
 * ```
 */
export type PostgresStoreOptions = {
  /** Table of values; locks live in `<table>_locks`. Default `keyturn_tokens`. */
  table?: string;
} & (
  | { connectionString: string; pool?: never }
  | { pool: PgQueryable; connectionString?: never }
);

interface OwnedPool extends PgQueryable {
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): unknown;
}
type PgModule = { Pool: new (config: { connectionString: string; max?: number }) => OwnedPool };

/**
 * Opens a store in PostgreSQL; both tables are created if missing (under a transaction-scoped
 * advisory lock, so processes starting together do not race). `withLock` is a row in
 * `<table>_locks` taken by one atomic upsert that only succeeds when no unexpired row exists,
 * with expiry on the database clock, so any number of machines exclude each other and a crashed
 * holder is replaced after its ttl. A pool opened from `connectionString` is ended by `close()`;
 * a `pool` you pass in is left open.
 *
 * @example
 * ```ts
 * import { createPostgresStore } from '@keyturn/client/stores/postgres';
 *
 * const store = await createPostgresStore({ connectionString: process.env.DATABASE_URL! });
 * const vault = createVault({ store, keys: [{ id: 'k1', secret: process.env.VAULT_KEY! }] });
 * ```
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<TokenStore> {
  const tableName = options.table ?? 'keyturn_tokens';
  const values = quoteIdentifier(tableName);
  const locks = quoteIdentifier(`${tableName}_locks`);
  let pool: PgQueryable;
  let owned: OwnedPool | undefined;
  if (options.pool !== undefined) {
    pool = options.pool;
  } else if (typeof options.connectionString === 'string' && options.connectionString.length > 0) {
    const pg = await loadDriver<PgModule>('pg', () => import('pg'));
    owned = new pg.Pool({ connectionString: options.connectionString });
    // An idle connection that dies (server restart) is dropped by the pool and the next query
    // reconnects; without a listener the 'error' event would crash the process instead.
    owned.on('error', () => undefined);
    pool = owned;
  } else {
    throw new StoreError('ERR_STORE_CONFIG', 'createPostgresStore needs a connectionString or a pool');
  }

  try {
    // One simple-protocol query = one implicit transaction on one connection; the advisory lock
    // serialises concurrent CREATE TABLE IF NOT EXISTS, which can otherwise fail on pg_type.
    await pool.query(`BEGIN;
SELECT pg_advisory_xact_lock(hashtext('keyturn-client:' || ${literal(tableName)}));
CREATE TABLE IF NOT EXISTS ${values} (key text PRIMARY KEY, value text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS ${locks} (name text PRIMARY KEY, token text NOT NULL, expires_at timestamptz NOT NULL);
COMMIT;`);
  } catch (err) {
    await owned?.end().catch(() => undefined);
    throw err;
  }

  const backend: LockBackend = {
    async tryAcquire(key, token, ttlMs) {
      const result = await pool.query(
        `INSERT INTO ${locks} AS l (name, token, expires_at)
         VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at
         WHERE l.expires_at <= clock_timestamp()
         RETURNING token`,
        [key, token, ttlMs],
      );
      return result.rowCount === 1;
    },
    async release(key, token) {
      await pool.query(`DELETE FROM ${locks} WHERE name = $1 AND token = $2`, [key, token]);
    },
  };

  return {
    async get(key) {
      validateKey(key);
      const result = await pool.query(`SELECT value FROM ${values} WHERE key = $1`, [key]);
      const row = result.rows[0] as { value: string } | undefined;
      return row === undefined ? null : row.value;
    },
    async set(key, value) {
      validateKey(key);
      await pool.query(
        `INSERT INTO ${values} (key, value, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [key, value],
      );
    },
    async delete(key) {
      validateKey(key);
      await pool.query(`DELETE FROM ${values} WHERE key = $1`, [key]);
    },
    async keys() {
      const result = await pool.query(`SELECT key FROM ${values} ORDER BY key`);
      return (result.rows as Array<{ key: string }>).map((row) => row.key);
    },
    async withLock(key, fn, lockOptions) {
      validateKey(key);
      return withPolledLock(backend, key, fn, lockOptions);
    },
    async close() {
      await owned?.end();
    },
  };
}

/** A SQL string literal of a validated identifier (letters, digits, `_` only, so no quote inside). */
function literal(identifier: string): string {
  return `'${identifier}'`;
}
