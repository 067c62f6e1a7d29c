import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends, type TestDatabase } from '../test-support/databases.js';
import { inCodeMigrationProvider } from './kysely/migrations.js';
import { openRepository } from './open.js';

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
    } finally {
      await repo.close();
    }
  });
});
