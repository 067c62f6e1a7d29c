/**
 * A SQLite database handle for kysely that prepares each SQL text once. kysely's SQLite driver
 * calls `prepare` for every query, and preparing cost more than running the query on the refresh
 * path (docs/PERFORMANCE.md); a statement run with `all`/`run` to completion can be run again.
 */
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { returnsArrays } from './compileOnce.js';

/** Distinct SQL texts kept; past it the cache starts afresh (batch statements vary in length). */
const MAX_STATEMENTS = 500;

/**
 * `db` with a statement cache in front of `prepare`. Nothing here streams (`iterate`), which
 * is what would make sharing one statement between two queries unsafe.
 *
 * @example
 * ```ts
 * const kysely = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: cachedStatements(sqlite) }) });
 * ```
 */
export function cachedStatements(db: SqliteDatabase): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        if (statements.size >= MAX_STATEMENTS) statements.clear();
        statement = db.prepare(sql);
        // better-sqlite3's raw mode: rows as arrays of values (see `returnsArrays`).
        if (returnsArrays(sql)) statement = (statement as SqliteStatement & { raw?(on: boolean): SqliteStatement }).raw?.(true) ?? statement;
        statements.set(sql, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      db.close();
    },
  };
}
