/** The SQLite `TokenStore` (`@keyturn/client/stores/sqlite`) on better-sqlite3, an optional peer dependency. */
import { StoreError } from '../vault/errors.js';
import type { TokenStore } from '../vault/types.js';
import { loadDriver } from './lib/loadDriver.js';
import { withPolledLock, type LockBackend } from './lib/pollLock.js';
import { quoteIdentifier } from './lib/quoteIdentifier.js';
import { validateKey } from './lib/validateKey.js';

/**
 * The part of a better-sqlite3 `Database` this store uses (so its types are not required).
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * const db: SqliteDatabaseLike = new Database('tokens.db');
 * ```
 */
export interface SqliteDatabaseLike {
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number };
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  };
  exec(sql: string): unknown;
  close(): unknown;
}

/**
 * Options of {@link createSqliteStore}: a file path to open, or a database you opened.
 *
 * @example
 * ```ts
 * const options: SqliteStoreOptions = { path: './data/tokens.db', table: 'my_tokens' };
 * ```
 */
export type SqliteStoreOptions = {
  /** Table of values; locks live in `<table>_locks`. Default `keyturn_tokens`. */
  table?: string;
} & ({ path: string; db?: never } | { db: SqliteDatabaseLike; path?: never });

type DatabaseConstructor = new (path: string) => SqliteDatabaseLike & { pragma(sql: string): unknown };

/**
 * Opens a store in a SQLite database: the tables are created if missing. A database opened from
 * `path` gets WAL mode, `synchronous = FULL` (a `set` is durable when it resolves) and a 5 s busy
 * timeout, and is closed by `close()`; a `db` you pass in is used as is and left open.
 * `withLock` takes a row in `<table>_locks` inside `BEGIN IMMEDIATE`, so every process (and every
 * connection) using the file is excluded; a row past its expiry is taken over.
 *
 * @example
 * ```ts
 * import { createSqliteStore } from '@keyturn/client/stores/sqlite';
 *
 * const store = await createSqliteStore({ path: './data/tokens.db' });
 * await store.withLock('alice', async () => { ... });
 * await store.close();
 * ```
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<TokenStore> {
  const values = quoteIdentifier(options.table ?? 'keyturn_tokens');
  const locks = quoteIdentifier(`${options.table ?? 'keyturn_tokens'}_locks`);
  let db: SqliteDatabaseLike;
  const owned = options.db === undefined;
  if (options.db !== undefined) {
    db = options.db;
  } else if (typeof options.path === 'string' && options.path.length > 0) {
    const Database = await loadDriver<DatabaseConstructor>('better-sqlite3', () => import('better-sqlite3'));
    const opened = new Database(options.path);
    opened.pragma('journal_mode = WAL');
    opened.pragma('synchronous = FULL');
    opened.pragma('busy_timeout = 5000');
    db = opened;
  } else {
    throw new StoreError('ERR_STORE_CONFIG', 'createSqliteStore needs a path or a db');
  }

  db.exec(`CREATE TABLE IF NOT EXISTS ${values} (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ${locks} (name TEXT PRIMARY KEY, token TEXT NOT NULL, expires_at INTEGER NOT NULL);`);

  const getValue = db.prepare(`SELECT value FROM ${values} WHERE key = ?`);
  const setValue = db.prepare(
    `INSERT INTO ${values} (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const deleteValue = db.prepare(`DELETE FROM ${values} WHERE key = ?`);
  const listKeys = db.prepare(`SELECT key FROM ${values} ORDER BY key`);
  const readLock = db.prepare(`SELECT expires_at FROM ${locks} WHERE name = ?`);
  const writeLock = db.prepare(
    `INSERT INTO ${locks} (name, token, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at`,
  );
  const deleteLock = db.prepare(`DELETE FROM ${locks} WHERE name = ? AND token = ?`);

  const backend: LockBackend = {
    async tryAcquire(key, token, ttlMs) {
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch (err) {
        if ((err as { code?: unknown }).code === 'SQLITE_BUSY') return false;
        throw err;
      }
      try {
        const now = Date.now();
        const held = readLock.get(key) as { expires_at: number } | undefined;
        const free = held === undefined || held.expires_at <= now;
        if (free) writeLock.run(key, token, now + ttlMs);
        db.exec('COMMIT');
        return free;
      } catch (err) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // SQLite may already have rolled back (e.g. on SQLITE_FULL); the first error matters.
        }
        throw err;
      }
    },
    async release(key, token) {
      deleteLock.run(key, token);
    },
  };

  return {
    async get(key) {
      validateKey(key);
      const row = getValue.get(key) as { value: string } | undefined;
      return row === undefined ? null : row.value;
    },
    async set(key, value) {
      validateKey(key);
      setValue.run(key, value, Date.now());
    },
    async delete(key) {
      validateKey(key);
      deleteValue.run(key);
    },
    async keys() {
      return (listKeys.all() as Array<{ key: string }>).map((row) => row.key);
    },
    async withLock(key, fn, lockOptions) {
      validateKey(key);
      return withPolledLock(backend, key, fn, lockOptions);
    },
    async close() {
      if (owned) db.close();
    },
  };
}
