/** Migration 0006: PostgreSQL's grant and refresh token pages keep room, so that a refresh's updates stay on their page (HOT). */
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends, type TestDatabase } from '../../test-support/databases.js';
import { openRepository } from '../open.js';
import { grant, refreshToken, seed, T0 } from '../test-support/records.js';
import { inCodeMigrationProvider } from './migrations.js';

describe.each(testBackends())('0006_room_for_updates on %s', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  /** A kysely instance on the test database, without Keyturn's storage layer. */
  const open = (target: string) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    new Kysely<any>({
      dialect: kind === 'postgres' ? new PostgresDialect({ pool: new pg.Pool({ connectionString: target, max: 1 }) }) : new SqliteDialect({ database: new Database(target) }),
    });

  /** The storage options of a PostgreSQL table (`fillfactor=80`), none on SQLite. */
  const options = async (db: Kysely<unknown>, table: string) =>
    kind === 'postgres' ? (await sql<{ reloptions: string[] | null }>`SELECT reloptions FROM pg_class WHERE relname = ${table}`.execute(db)).rows[0]?.reloptions ?? null : null;

  it('sets the fillfactor of grants (80) and refresh_tokens (90) on PostgreSQL, and resets it when undone; nothing on SQLite', async () => {
    database = await createTestDatabase(kind);
    const db = open(database.target);
    try {
      const migrator = new Migrator({ db, provider: inCodeMigrationProvider });
      expect((await migrator.migrateTo('0006_room_for_updates')).error).toBeUndefined();
      expect(await options(db, 'grants')).toEqual(kind === 'postgres' ? ['fillfactor=80'] : null);
      expect(await options(db, 'refresh_tokens')).toEqual(kind === 'postgres' ? ['fillfactor=90'] : null);
      expect((await migrator.migrateTo('0005_device_grant')).error).toBeUndefined();
      expect(await options(db, 'grants')).toBeNull();
      expect(await options(db, 'refresh_tokens')).toBeNull();
    } finally {
      await db.destroy();
    }
  });

  it('keeps a database made before it working: its grants are found and touched, its tokens spent', async () => {
    database = await createTestDatabase(kind);
    const db = open(database.target);
    try {
      expect((await new Migrator({ db, provider: inCodeMigrationProvider }).migrateTo('0005_device_grant')).error).toBeUndefined();
    } finally {
      await db.destroy();
    }
    const repo = await openRepository(database.target);
    try {
      await seed(repo);
      await repo.createGrant(grant(), refreshToken(), null);
      await repo.touchGrant('g1', T0 + 60_000);
      expect((await repo.getGrant('g1'))?.lastUsedAt).toBe(T0 + 60_000);
      expect(await repo.spendRefreshToken(refreshToken().tokenHash, refreshToken({ tokenHash: 'next', parentHash: refreshToken().tokenHash }), T0 + 1)).toBe(true);
    } finally {
      await repo.close();
    }
  });
});
