/**
 * Test databases: a fresh PostgreSQL database or SQLite file per test (or per suite), and
 * `forEachBackend` to run one `describe` block against both backends. Uses the real
 * PostgreSQL at 127.0.0.1:5432 (override the admin connection with `KEYTURN_TEST_PG_URL`);
 * `KEYTURN_TEST_BACKENDS=sqlite` (or `postgres`) limits the backends.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { openRepository } from '../storage/open.js';

/** The repository `openRepository` opens (named here, so the tests need no storage type import). */
type Repository = Awaited<ReturnType<typeof openRepository>>;

/** The admin connection: any database on the server, as a role that may CREATE DATABASE. */
export const TEST_PG_ADMIN_URL = process.env['KEYTURN_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty PostgreSQL database `keyturn_test_<random hex>` and returns its URL.
 * `drop()` ends its connections and drops it; call it in `afterEach`/`afterAll`.
 * With `template`, the new database is a copy of that (connection-free) database.
 *
 * @example
 * ```ts
 * const db = await createTestPostgresDatabase();
 * const repo = await createPostgresRepository(db.url);
 * await repo.close();
 * await db.drop();
 * ```
 */
export async function createTestPostgresDatabase(
  options: { template?: string } = {},
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `keyturn_test_${randomBytes(8).toString('hex')}`;
  const template = options.template;
  if (template !== undefined && !/^keyturn_test_[0-9a-f]+$/.test(template)) {
    throw new TypeError('template must be a database made by createTestPostgresDatabase');
  }
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}${template === undefined ? '' : ` TEMPLATE ${template}`}`));
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin(async (c) => {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

/**
 * A migrated PostgreSQL database to copy: `CREATE DATABASE … TEMPLATE` is much cheaper
 * than running the migrations in every test's database.
 */
async function createMigratedPostgresTemplate(): Promise<{ name: string; drop(): Promise<void> }> {
  const db = await createTestPostgresDatabase();
  try {
    const repo = await openRepository(db.url);
    await repo.close();
  } catch (err) {
    await db.drop();
    throw err;
  }
  return db;
}

/**
 * A path for a SQLite file in a fresh temporary folder; `cleanup()` removes the folder
 * (with the WAL and SHM files).
 *
 * @example
 * ```ts
 * const file = createTestSqlitePath();
 * const repo = await createSqliteRepository(file.path);
 * await repo.close();
 * file.cleanup();
 * ```
 */
export function createTestSqlitePath(): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-test-'));
  return {
    path: join(dir, 'keyturn.db'),
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type BackendKind = 'sqlite' | 'postgres';

/** A database to test against: where it is, and how to get rid of it. */
export interface TestDatabase {
  kind: BackendKind;
  /** What `openRepository` takes: a PostgreSQL URL or a SQLite file path. */
  target: string;
  dispose(): Promise<void>;
}

/**
 * Creates a fresh, empty database of the given kind.
 *
 * @example
 * ```ts
 * const db = await createTestDatabase('sqlite');
 * const repo = await openRepository(db.target);
 * ```
 */
export async function createTestDatabase(kind: BackendKind): Promise<TestDatabase> {
  if (kind === 'postgres') {
    const db = await createTestPostgresDatabase();
    return { kind, target: db.url, dispose: () => db.drop() };
  }
  const file = createTestSqlitePath();
  return { kind, target: file.path, dispose: () => Promise.resolve(file.cleanup()) };
}

/** What a `forEachBackend` block sees. Read `repo` inside tests and hooks, not at collection time. */
export interface BackendContext {
  readonly kind: BackendKind;
  /** The migrated repository on this block's current database. */
  readonly repo: Repository;
  /** `openRepository` target of the current database (to start a server or a second process on it). */
  readonly target: string;
  /** Opens one more repository on the same database (closed for you afterwards), as another process would. */
  openAnother(): Promise<Repository>;
}

export interface ForEachBackendOptions {
  /** `'each'` (default): a fresh database per test. `'all'`: one database for the whole block. */
  fresh?: 'each' | 'all';
}

/** The backends to run, from `KEYTURN_TEST_BACKENDS` (comma-separated); both by default. */
export function testBackends(): BackendKind[] {
  const wanted = process.env['KEYTURN_TEST_BACKENDS'];
  if (wanted === undefined || wanted.trim() === '') return ['sqlite', 'postgres'];
  return wanted
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is BackendKind => s === 'sqlite' || s === 'postgres');
}

/**
 * Declares `describe(`${name} (sqlite)`)` and `describe(`${name} (postgres)`)`, each with
 * its own migrated repository on a fresh database, and runs `fn` inside both.
 *
 * @example
 * ```ts
 * forEachBackend('accounts', (ctx) => {
 *   it('finds a user by email', async () => {
 *     await ctx.repo.createUser(user);
 *     expect(await ctx.repo.findUserByEmail(user.email)).toEqual(user);
 *   });
 * });
 * ```
 */
export function forEachBackend(
  name: string,
  fn: (ctx: BackendContext) => void,
  options: ForEachBackendOptions = {},
): void {
  const fresh = options.fresh ?? 'each';
  for (const kind of testBackends()) {
    describe(`${name} (${kind})`, () => {
      let database: TestDatabase | undefined;
      let repo: Repository | undefined;
      const extra: Repository[] = [];
      // Creating and migrating a PostgreSQL database takes ~0.5 s. In 'each' mode the
      // databases are copies of one migrated template, the next one is made while the
      // current test runs, and old ones are dropped in the background.
      let template: Promise<{ name: string; drop(): Promise<void> }> | undefined;
      let next: Promise<TestDatabase> | undefined;
      const disposals: Promise<void>[] = [];

      const createFresh = async (): Promise<TestDatabase> => {
        if (kind !== 'postgres' || fresh !== 'each') return createTestDatabase(kind);
        template ??= createMigratedPostgresTemplate();
        const db = await createTestPostgresDatabase({ template: (await template).name });
        return { kind, target: db.url, dispose: () => db.drop() };
      };
      const setUp = async (): Promise<void> => {
        const taken = next ?? createFresh();
        next = fresh === 'each' ? createFresh() : undefined;
        next?.catch(() => {});
        database = await taken;
        repo = await openRepository(database.target);
      };
      const tearDown = async (): Promise<void> => {
        const closing = [...extra.splice(0), ...(repo === undefined ? [] : [repo])];
        repo = undefined;
        await Promise.allSettled(closing.map((r) => r.close()));
        const db = database;
        database = undefined;
        if (db !== undefined) {
          const disposal = db.dispose();
          disposal.catch(() => {}); // reported by `finish`, not as an unhandled rejection
          disposals.push(disposal);
        }
      };
      const finish = async (): Promise<void> => {
        const pending = next;
        next = undefined;
        if (pending !== undefined) disposals.push(pending.then((db) => db.dispose(), () => {}));
        await Promise.all(disposals.splice(0));
        const pendingTemplate = template;
        template = undefined;
        if (pendingTemplate !== undefined) await pendingTemplate.then((t) => t.drop(), () => {});
      };
      if (fresh === 'each') {
        beforeEach(setUp);
        afterEach(tearDown);
        afterAll(finish);
      } else {
        beforeAll(setUp);
        afterAll(async () => {
          await tearDown();
          await finish();
        });
      }

      const ctx: BackendContext = {
        kind,
        get repo(): Repository {
          if (repo === undefined) throw new Error('ctx.repo is only available inside tests and hooks');
          return repo;
        },
        get target(): string {
          if (database === undefined) throw new Error('ctx.target is only available inside tests and hooks');
          return database.target;
        },
        async openAnother(): Promise<Repository> {
          if (database === undefined) throw new Error('ctx.openAnother() is only available inside tests and hooks');
          const another = await openRepository(database.target);
          extra.push(another);
          return another;
        },
      };
      fn(ctx);
    });
  }
}
