/** Naming the hot-path statements for PostgreSQL: only the texts compileOnce compiled, one name per text. */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileOnce } from './compileOnce.js';
import { namedStatements, type NamingPoolClient } from './namedStatements.js';

interface Db {
  t: { id: number };
}

/** A pool of one fake client that records what it was asked to run. */
function recordingPool() {
  const calls: unknown[] = [];
  let ended = false;
  const client: NamingPoolClient = {
    query: async (sql: unknown, parameters?: ReadonlyArray<unknown>) => {
      calls.push(parameters === undefined ? sql : [sql, parameters]);
      return { command: 'SELECT', rowCount: 0, rows: [] };
    },
    release: () => undefined,
  };
  return { calls, ended: () => ended, pool: { connect: async () => client, end: async () => void (ended = true) } };
}

describe('namedStatements', () => {
  it('runs a compileOnce text as a named statement and any other text as it is', async () => {
    const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
    await db.schema.createTable('t').addColumn('id', 'integer').execute();
    const byId = compileOnce((k: Kysely<Db>) => k.selectFrom('t').select('id').where('id', '=', 0));
    await byId(db, [1]);
    await db.destroy();

    const { calls, pool } = recordingPool();
    const named = namedStatements(pool);
    const client = await named.connect();
    await client.query('select "id" from "t" where "id" = ?', [7]);
    await client.query('select 1', [2]);
    await client.query('select "id" from "t" where "id" = ?', [8]);
    const [first, other, second] = calls as Array<{ name: string; text: string; values: unknown[] } | unknown[]>;
    expect(first).toMatchObject({ name: expect.stringMatching(/^kt_[0-9a-f]{24}$/), text: 'select "id" from "t" where "id" = ?', values: [7] });
    expect(other).toEqual(['select 1', [2]]);
    expect(second).toEqual({ ...(first as object), values: [8] });
  });

  it("asks for rows as arrays for a text compiled with { rows: 'arrays' }, and only for it", async () => {
    const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
    await db.schema.createTable('t').addColumn('id', 'integer').execute();
    const asArrays = compileOnce((k: Kysely<Db>) => k.selectFrom('t').select('id').where('id', '>', 0), { rows: 'arrays' });
    await asArrays(db, [1]);
    await db.destroy();

    const { calls, pool } = recordingPool();
    const client = await namedStatements(pool).connect();
    await client.query('select "id" from "t" where "id" > ?', [7]);
    await client.query('select "id" from "t" where "id" = ?', [7]);
    const [arrays, objects] = calls as Array<{ rowMode?: string }>;
    expect(arrays).toMatchObject({ text: 'select "id" from "t" where "id" > ?', values: [7], rowMode: 'array' });
    expect(objects).not.toHaveProperty('rowMode');
  });

  it('hands kysely the same client object for the same pooled connection, and ends the pool', async () => {
    const { pool, ended } = recordingPool();
    const named = namedStatements(pool);
    expect(await named.connect()).toBe(await named.connect());
    await named.end();
    expect(ended()).toBe(true);
  });
});
