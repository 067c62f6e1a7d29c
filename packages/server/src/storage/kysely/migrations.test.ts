/** Migrations: upgrading an older database in place, and `migrate()` racing in one process and across processes. */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, forEachBackend, testBackends, type TestDatabase } from '../../test-support/databases.js';
import { openRepository } from '../open.js';
import { user } from '../test-support/records.js';
import { inCodeMigrationProvider } from './migrations.js';

const CHILD = fileURLToPath(new URL('../../test-support/openRepositoryChild.ts', import.meta.url));
// vite-node comes with vitest; it runs the child's TypeScript as the tests run theirs.
const VITE_NODE = join(dirname(createRequire(import.meta.url).resolve('vite-node')), '..', 'vite-node.mjs');

/** Opens the repository at `target` in another Node process; resolves with its exit code. */
function runChild(target: string, userId: string): Promise<number | null> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [VITE_NODE, CHILD, target, userId], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise(code));
  });
}

// A database created by an earlier release (only 0001) must upgrade in place and keep its rows.
describe.each(testBackends())('upgrading a %s database made before 0002_redirect_uri_given', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  function connect(target: string) {
    if (kind === 'postgres') return { db: new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: target, max: 1 }) }) }) };
    return { db: new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(target) }) }) };
  }

  it('keeps an existing authorization code and marks its redirect URI as given', async () => {
    database = await createTestDatabase(kind);
    const { db } = connect(database.target);
    try {
      const migrated = await new Migrator({ db, provider: inCodeMigrationProvider }).migrateTo('0001_initial');
      expect(migrated.error).toBeUndefined();
      await db.insertInto('users').values({ id: 'u1', email: 'ada@example.com', password_hash: 'x', name: null, created_at: 1 }).execute();
      await db
        .insertInto('clients')
        .values({ id: 'app', name: null, secret_hash: null, redirect_uris: '["com.example.app://redirect"]', scopes: '["openid"]', refresh_policy: 'rotate', refresh_ttl_sec: null, refresh_idle_ttl_sec: null, created_at: 1 })
        .execute();
      await db
        .insertInto('auth_codes')
        .values({ code_hash: 'c'.repeat(64), client_id: 'app', user_id: 'u1', sso_session_id: null, redirect_uri: 'com.example.app://redirect', scope: 'openid', nonce: null, code_challenge: null, code_challenge_method: null, offline: 1, auth_time: 1, created_at: 1, expires_at: Date.now() + 60_000, consumed_at: null, grant_id: null })
        .execute();
    } finally {
      await db.destroy();
    }

    const repo = await openRepository(database.target);
    try {
      const consumed = await repo.consumeAuthCode('c'.repeat(64), Date.now());
      expect(consumed?.firstUse).toBe(true);
      expect(consumed?.code).toMatchObject({ clientId: 'app', redirectUri: 'com.example.app://redirect', redirectUriGiven: true, offline: true });
      // 0005: a client from before grant types keeps exactly the grants it could use.
      expect((await repo.getClient('app'))?.grantTypes).toEqual(['authorization_code', 'refresh_token']);
    } finally {
      await repo.close();
    }
  });
});

forEachBackend('Repository', (ctx) => {
  describe('migrate', () => {
    it('is idempotent: running it twice more keeps the data', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.migrate();
      await ctx.repo.migrate();
      expect(await ctx.repo.findUserById('u1')).toEqual(user());
    });

    it('lets three repositories migrate one fresh database at the same time', async () => {
      const db = await createTestDatabase(ctx.kind);
      try {
        const repos = await Promise.all([openRepository(db.target), openRepository(db.target), openRepository(db.target)]);
        try {
          const [a, b] = repos;
          await a.createUser(user());
          expect(await b.findUserByEmail('ada@example.com')).toEqual(user());
        } finally {
          await Promise.all(repos.map((r) => r.close()));
        }
      } finally {
        await db.dispose();
      }
    });
  });

  it('lets three separate processes migrate one fresh database at the same time', async () => {
    const db = await createTestDatabase(ctx.kind);
    try {
      const codes = await Promise.all(['p1', 'p2', 'p3'].map((id) => runChild(db.target, id)));
      expect(codes).toEqual([0, 0, 0]);
      const repo = await openRepository(db.target);
      try {
        for (const id of ['p1', 'p2', 'p3']) expect((await repo.findUserById(id))?.email).toBe(`${id}@example.com`);
      } finally {
        await repo.close();
      }
    } finally {
      await db.dispose();
    }
  }, 30_000);
});
