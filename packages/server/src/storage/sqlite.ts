/**
 * The embedded backend: a SQLite file (WAL mode) through better-sqlite3. The driver is
 * loaded with `import()` so that a PostgreSQL deployment never loads the native module.
 *
 * Within one process, every repository opened on the same file shares one connection.
 * better-sqlite3 is synchronous: a second connection in the same thread waiting on
 * `busy_timeout` for the first one's write lock would block the very event loop the first
 * needs to commit, and both would fail with SQLITE_BUSY. Separate processes each have their
 * own connection and queue on the lock as SQLite intends.
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Kysely } from 'kysely';
import { createKyselyRepository } from './kysely/createKyselyRepository.js';
import { cachedStatements } from './kysely/lib/cachedStatements.js';
import { assertKnownMigrations, migrateToLatest } from './kysely/migrations.js';
import type { OpenOptions } from './open.js';
import type { Database } from './kysely/schema.js';
import { ImmediateSqliteDialect } from './kysely/sqliteDialect.js';
import type { Repository } from './repository.js';

/** How long a writer waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

interface SharedDatabase {
  db: Kysely<Database>;
  refs: number;
  closing: boolean;
}

/** Open files of this process, by absolute path. */
const openFiles = new Map<string, Promise<SharedDatabase>>();

async function openKysely(file: string, migrate: boolean): Promise<Kysely<Database>> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  const sqlite = new BetterSqlite3(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    sqlite.pragma('foreign_keys = ON');
    // WAL with NORMAL sync survives application crashes; only an OS crash can lose the
    // last commits. The usual trade for a server's embedded database.
    sqlite.pragma('synchronous = NORMAL');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: cachedStatements(sqlite) }) });
  try {
    if (migrate) await migrateToLatest(db);
    else await assertKnownMigrations(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

/**
 * Opens (creating it and its folder if needed) the SQLite database at `path`, applies
 * pending migrations (unless `options.migrate` is false), and returns it as a `Repository`.
 * `':memory:'` gives a private in-memory database.
 *
 * @example
 * ```ts
 * const repo = await createSqliteRepository('./data/keyturn.db');
 * try {
 *   console.log(await repo.listClients());
 * } finally {
 *   await repo.close();
 * }
 * ```
 */
export async function createSqliteRepository(path: string, options: OpenOptions = {}): Promise<Repository> {
  const migrate = options.migrate !== false;
  if (path === ':memory:' || path === '') {
    return createKyselyRepository(await openKysely(':memory:', migrate), 'sqlite');
  }

  const file = resolve(path);
  for (;;) {
    let opening = openFiles.get(file);
    if (opening === undefined) {
      opening = (async (): Promise<SharedDatabase> => {
        await mkdir(dirname(file), { recursive: true, mode: 0o700 });
        // Owner-only from the start; SQLite gives its -wal and -shm files the same mode.
        await (await open(file, 'a', 0o600)).close();
        return { db: await openKysely(file, migrate), refs: 0, closing: false };
      })();
      openFiles.set(file, opening);
      const failed = opening;
      failed.catch(() => {
        if (openFiles.get(file) === failed) openFiles.delete(file);
      });
    }
    const shared = await opening;
    // The last holder closed it while we waited: open it afresh.
    if (shared.closing) continue;
    shared.refs += 1;
    const current = opening;
    return createKyselyRepository(shared.db, 'sqlite', {
      release: async () => {
        shared.refs -= 1;
        if (shared.refs > 0) return;
        shared.closing = true;
        if (openFiles.get(file) === current) openFiles.delete(file);
        await shared.db.destroy();
      },
    });
  }
}
