/** Queries compiled once per database and run with each call's values. */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachedStatements } from './cachedStatements.js';
import { compileOnce } from './compileOnce.js';

interface Db {
  t: { id: number; v: string };
}

describe('compileOnce', () => {
  const open: Array<Kysely<Db>> = [];
  afterEach(async () => {
    for (const db of open.splice(0)) await db.destroy();
  });
  async function aDatabase(): Promise<Kysely<Db>> {
    const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
    open.push(db);
    await db.schema.createTable('t').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('v', 'text').execute();
    await db.insertInto('t').values([{ id: 1, v: 'one' }, { id: 2, v: 'two' }]).execute();
    return db;
  }

  it('builds the query once per database and answers each call for its own values', async () => {
    const build = vi.fn((db: Kysely<Db>) => db.selectFrom('t').select('v').where('id', '=', 0));
    const byId = compileOnce(build);
    const first = await aDatabase();
    const second = await aDatabase();
    await second.insertInto('t').values({ id: 3, v: 'three' }).execute();
    expect((await byId(first, [2])).rows).toEqual([{ v: 'two' }]);
    expect((await byId(first, [1])).rows).toEqual([{ v: 'one' }]);
    expect((await byId(first, [3])).rows).toEqual([]);
    expect((await byId(second, [3])).rows).toEqual([{ v: 'three' }]);
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('runs the query compiled for a database inside a transaction of it, without compiling it again', async () => {
    const build = vi.fn((db: Kysely<Db>) => db.updateTable('t').set({ v: '' }).where('id', '=', 0));
    const rename = compileOnce(build);
    const db = await aDatabase();
    await db.transaction().execute(async (trx) => {
      expect(Number((await rename(db, ['uno', 1], trx)).numAffectedRows)).toBe(1);
      expect(Number((await rename(db, ['dos', 2], trx)).numAffectedRows)).toBe(1);
    });
    expect(build).toHaveBeenCalledTimes(1);
    expect(await db.selectFrom('t').select('v').orderBy('id').execute()).toEqual([{ v: 'uno' }, { v: 'dos' }]);
  });

  it("answers rows as arrays in select order with { rows: 'arrays' } on SQLite through cachedStatements, and as objects elsewhere", async () => {
    const byId = compileOnce((db: Kysely<Db>) => db.selectFrom('t').select(['v', 'id']).where('id', '=', 0), { rows: 'arrays' });
    const cached = new Kysely<Db>({ dialect: new SqliteDialect({ database: cachedStatements(new BetterSqlite3(':memory:')) }) });
    open.push(cached);
    await cached.schema.createTable('t').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('v', 'text').execute();
    await cached.insertInto('t').values({ id: 2, v: 'two' }).execute();
    expect((await byId(cached, [2])).rows).toEqual([['two', 2]]);
    // The same text on a handle that cannot answer arrays: objects, as kysely types them.
    expect((await byId(await aDatabase(), [2])).rows).toEqual([{ v: 'two', id: 2 }]);
  });

  it('refuses a call with more or fewer values than the query has parameters', async () => {
    const byId = compileOnce((db: Kysely<Db>) => db.selectFrom('t').select('v').where('id', '=', 0));
    const db = await aDatabase();
    await expect(byId(db, [])).rejects.toThrow('the query takes 1 parameters, not 0');
    await expect(byId(db, [1, 2])).rejects.toThrow('the query takes 1 parameters, not 2');
  });
});
