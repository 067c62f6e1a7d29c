/** Migration 0004 on a database made before it: every existing person stays active, and the audit trail starts empty and usable. */
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends, type TestDatabase } from '../../test-support/databases.js';
import { openRepository } from '../open.js';
import { auditEvent } from '../test-support/records.js';
import { inCodeMigrationProvider } from './migrations.js';

describe.each(testBackends())('upgrading a %s database made before 0004_audit_events_user_status', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('keeps every person, active, and adds an empty audit trail', async () => {
    database = await createTestDatabase(kind);
    const dialect =
      kind === 'postgres'
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: database.target, max: 1 }) })
        : new SqliteDialect({ database: new Database(database.target) });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const db = new Kysely<any>({ dialect });
    try {
      expect((await new Migrator({ db, provider: inCodeMigrationProvider }).migrateTo('0002_redirect_uri_given')).error).toBeUndefined();
      await db.insertInto('users').values({ id: 'u1', email: 'ada@example.com', password_hash: 'x', name: null, created_at: 1 }).execute();
    } finally {
      await db.destroy();
    }

    const repo = await openRepository(database.target);
    try {
      expect(await repo.findUserById('u1')).toEqual({ id: 'u1', email: 'ada@example.com', passwordHash: 'x', name: null, createdAt: 1, status: 'active' });
      expect(await repo.listAuditEvents({})).toEqual([]);
      await repo.appendAuditEvent(auditEvent());
      expect(await repo.listAuditEvents({ userId: 'u1' })).toEqual([auditEvent()]);
    } finally {
      await repo.close();
    }
  });
});
