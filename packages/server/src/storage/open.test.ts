/** Choosing the backend from one `--database` string, and each backend saying which it is. */
import { dirname, join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, createTestSqlitePath, forEachBackend } from '../test-support/databases.js';
import { openRepository } from './open.js';
import { user } from './test-support/records.js';

forEachBackend('Repository', (ctx) => {
  it(`reports its kind`, () => {
    expect(ctx.repo.kind).toBe(ctx.kind);
  });
});

describe('backend choice', () => {
  it('opens SQLite for a sqlite: target and for :memory:', async () => {
    const repo = await openRepository('sqlite::memory:');
    try {
      expect(repo.kind).toBe('sqlite');
      await repo.createUser(user());
      expect(await repo.findUserById('u1')).toEqual(user());
    } finally {
      await repo.close();
    }
  });

  it('creates the SQLite file and its missing folders, in WAL mode, for a sqlite:// target', async () => {
    const file = createTestSqlitePath();
    try {
      const nested = join(dirname(file.path), 'a', 'b', 'keyturn.db');
      const repo = await openRepository(`sqlite://${nested}`);
      await repo.close();
      const raw = new Sqlite(nested, { readonly: true });
      try {
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
        const tables = raw.prepare("select name from sqlite_master where type = 'table' and name = 'grants'").all();
        expect(tables).toEqual([{ name: 'grants' }]);
      } finally {
        raw.close();
      }
    } finally {
      file.cleanup();
    }
  });

  it('opens PostgreSQL for a postgresql:// URL', async () => {
    const db = await createTestDatabase('postgres');
    try {
      const repo = await openRepository(db.target.replace(/^postgres:/, 'postgresql:'));
      expect(repo.kind).toBe('postgres');
      await repo.close();
    } finally {
      await db.dispose();
    }
  });

  it('leaves the global pg int8 parser alone (bigint stays a string for other pg users)', async () => {
    const db = await createTestDatabase('postgres');
    try {
      const repo = await openRepository(db.target);
      await repo.close();
      expect(pg.types.getTypeParser(20, 'text')('9007199254740993')).toBe('9007199254740993');
    } finally {
      await db.dispose();
    }
  });
});
