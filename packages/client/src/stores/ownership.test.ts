/** Stores close only what they opened: a caller's db, pool or client stays usable after `close()`. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresStore } from './postgres.js';
import { createRedisStore } from './redis.js';
import { createSqliteStore } from './sqlite.js';
import { TEST_PG_ADMIN_URL, TEST_REDIS_URL, dropTestDatabase } from './test-support/backends.js';

describe('stores given an existing connection', () => {
  it('SQLite: uses the given db and leaves it open on close()', async () => {
    const root = mkdtempSync(join(tmpdir(), 'keyturn-own-'));
    const db = new Database(join(root, 'x.db'));
    try {
      const store = await createSqliteStore({ db, table: 'mine' });
      await store.set('alice', 'v');
      await store.close();
      expect(db.open).toBe(true);
      expect(db.prepare('SELECT value FROM mine WHERE key = ?').get('alice')).toEqual({ value: 'v' });
    } finally {
      db.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: uses the given pool and leaves it open on close()', async () => {
    const database = `keyturn_client_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(TEST_PG_ADMIN_URL);
    url.pathname = `/${database}`;
    const pool = new pg.Pool({ connectionString: url.toString() });
    try {
      const store = await createPostgresStore({ pool, table: 'mine' });
      await store.set('alice', 'v');
      await store.close();
      expect((await pool.query('SELECT value FROM mine WHERE key = $1', ['alice'])).rows).toEqual([{ value: 'v' }]);
    } finally {
      await pool.end();
      await admin.end();
      await dropTestDatabase(database);
    }
  });

  it('Redis: uses the given client and leaves it connected on close()', async () => {
    const client = new Redis(TEST_REDIS_URL);
    const prefix = `keyturn-client-test:${randomBytes(6).toString('hex')}:`;
    try {
      const store = await createRedisStore({ client, prefix });
      await store.set('alice', 'v');
      await store.close();
      expect(client.status).toBe('ready');
      expect(await client.get(`${prefix}v:alice`)).toBe('v');
    } finally {
      await client.del(`${prefix}v:alice`);
      await client.quit();
    }
  });

  it('rejects when the server is unreachable instead of hanging', async () => {
    await expect(createRedisStore({ url: 'redis://127.0.0.1:1' })).rejects.toThrow();
    await expect(createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('reports a missing connection option as ERR_STORE_CONFIG and a bad table name likewise', async () => {
    await expect(createSqliteStore({} as never)).rejects.toMatchObject({ code: 'ERR_STORE_CONFIG' });
    await expect(createPostgresStore({} as never)).rejects.toMatchObject({ code: 'ERR_STORE_CONFIG' });
    await expect(createRedisStore({} as never)).rejects.toMatchObject({ code: 'ERR_STORE_CONFIG' });
    await expect(createSqliteStore({ path: ':memory:', table: 'x; DROP TABLE y' })).rejects.toMatchObject({ code: 'ERR_STORE_CONFIG' });
  });
});
