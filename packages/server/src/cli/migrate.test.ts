/**
 * `keyturn migrate` applies the migrations and says which; `serve` and every other command
 * refuse a database that a newer Keyturn migrated, on SQLite and PostgreSQL. And `keys rotate`
 * on PostgreSQL without KEYTURN_SECRET says that no secret was given.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENV, freePort, keyturn, prepareDatabase } from '../test-support/cli.js';
import { createTestDatabase, testBackends } from '../test-support/databases.js';
import { TEST_SECRET } from '../test-support/server.js';
import { migrations } from '../storage/kysely/migrations.js';
import { openRepository } from '../storage/open.js';

const root = mkdtempSync(path.join(tmpdir(), 'keyturn-migrate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const NAMES = Object.keys(migrations);
const env = { ...ENV, KEYTURN_SECRET: TEST_SECRET, KEYTURN_LOG_LEVEL: 'silent' };

/** Records a migration this code does not know, as a newer Keyturn would have. */
async function migrateFromTheFuture(target: string): Promise<void> {
  const repo = await openRepository(target);
  await repo.close();
  const { Kysely, PostgresDialect, SqliteDialect } = await import('kysely');
  const db = target.startsWith('postgres')
    ? new Kysely<any>({ dialect: new PostgresDialect({ pool: new (await import('pg')).default.Pool({ connectionString: target, max: 1 }) }) })
    : new Kysely<any>({ dialect: new SqliteDialect({ database: new (await import('better-sqlite3')).default(target) }) });
  try {
    await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2099-01-01T00:00:00.000Z')`.execute(db);
  } finally {
    await db.destroy();
  }
}

describe.each(testBackends())('keyturn migrate and a newer database (%s)', (kind) => {
  it('applies every migration to a new database and says which, then says it is up to date', async () => {
    const db = await createTestDatabase(kind);
    const dataDir = mkdtempSync(path.join(root, 'data-'));
    try {
      const first = await keyturn(['migrate', '--database', db.target, '--data-dir', dataDir], { env });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout.split('\n').slice(0, NAMES.length)).toEqual(NAMES.map((n) => `applied ${n}`));
      expect(first.stdout).toContain(`is up to date (${NAMES.length} migrations)`);
      const again = await keyturn(['migrate', '--database', db.target, '--data-dir', dataDir], { env });
      expect(again).toMatchObject({ code: 0, stderr: '' });
      expect(again.stdout).toMatch(new RegExp(`^the database .+ is up to date \\(${NAMES.length} migrations, last ${NAMES.at(-1)}\\)\\n$`));
      // migrate makes no secret: it needs none.
      expect(existsSync(path.join(dataDir, 'secret'))).toBe(false);
    } finally {
      await db.dispose();
    }
  }, 30_000);

  it('refuses a database a newer Keyturn migrated: serve, client list and migrate exit 1 and name the unknown migration', async () => {
    const db = await createTestDatabase(kind);
    const dataDir = mkdtempSync(path.join(root, 'data-'));
    try {
      await migrateFromTheFuture(db.target);
      const runs = await Promise.all([
        keyturn(['serve', '--port', String(await freePort()), '--database', db.target, '--data-dir', dataDir], { env }),
        keyturn(['client', 'list', '--database', db.target, '--data-dir', dataDir], { env }),
        keyturn(['migrate', '--database', db.target, '--data-dir', dataDir], { env }),
      ]);
      for (const run of runs) {
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('the database was migrated by a newer Keyturn (it has 9999_from_the_future, which this version does not know)');
        expect(run.stderr).not.toMatch(/^\s+at /m);
      }
    } finally {
      await db.dispose();
    }
  }, 30_000);
});

describe('keys rotate on PostgreSQL without KEYTURN_SECRET', () => {
  it('says that no secret was given (not that it changed) and leaves no secret file behind', async () => {
    const db = await createTestDatabase('postgres');
    const withSecret = mkdtempSync(path.join(root, 'data-'));
    const without = mkdtempSync(path.join(root, 'data-'));
    try {
      // Management commands do not create a database (only serve does): make it as serve would.
      await prepareDatabase({ database: db.target });
      expect(await keyturn(['keys', 'list', '--database', db.target, '--data-dir', withSecret], { env })).toMatchObject({ code: 0 });
      const { KEYTURN_SECRET: _omitted, ...noSecret } = env;
      const run = await keyturn(['keys', 'rotate', '--database', db.target, '--data-dir', without], { env: noSecret });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('no server secret was given (KEYTURN_SECRET is not set');
      expect(run.stderr).toContain('set KEYTURN_SECRET to the secret the servers of this database use');
      expect(run.stderr).not.toContain('changed');
      expect(existsSync(path.join(without, 'secret'))).toBe(false);
    } finally {
      await db.dispose();
    }
  }, 30_000);
});
