/** The SQLite statement cache: each SQL text prepared once, bounded, closed with its database. */
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachedStatements } from './cachedStatements.js';

function counted() {
  const sqlite = new BetterSqlite3(':memory:');
  const prepared: string[] = [];
  const db = cachedStatements({
    prepare: (sql) => (prepared.push(sql), sqlite.prepare(sql)),
    close: () => sqlite.close(),
  });
  return { sqlite, db, prepared };
}

describe('cachedStatements', () => {
  it('prepares a SQL text once and runs the same statement again with new parameters', () => {
    const { db, prepared } = counted();
    db.prepare('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)').run([]);
    const insert = db.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    insert.run([1, 'one']);
    expect(db.prepare('INSERT INTO t (id, v) VALUES (?, ?)')).toBe(insert);
    db.prepare('INSERT INTO t (id, v) VALUES (?, ?)').run([2, 'two']);
    expect(db.prepare('SELECT v FROM t WHERE id = ?').all([2])).toEqual([{ v: 'two' }]);
    expect(db.prepare('SELECT v FROM t WHERE id = ?').all([1])).toEqual([{ v: 'one' }]);
    expect(prepared).toEqual(['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)', 'INSERT INTO t (id, v) VALUES (?, ?)', 'SELECT v FROM t WHERE id = ?']);
  });

  it('starts afresh past 500 distinct texts instead of growing without bound', () => {
    const { db, prepared } = counted();
    for (let i = 0; i < 501; i++) db.prepare(`SELECT ${i} AS n`);
    expect(prepared).toHaveLength(501);
    db.prepare('SELECT 500 AS n');
    expect(prepared).toHaveLength(501);
    db.prepare('SELECT 0 AS n');
    expect(prepared).toHaveLength(502);
  });

  it('closes the database under it', () => {
    const { sqlite, db } = counted();
    db.close();
    expect(sqlite.open).toBe(false);
  });
});
