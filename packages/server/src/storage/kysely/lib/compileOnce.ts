/**
 * Queries of the hot path built and compiled once: kysely builds and compiles a query on every
 * call, which on the refresh path cost more CPU than SQLite took to run it (docs/PERFORMANCE.md).
 * The compiled SQL is kept per database and run with each call's parameter values; on
 * PostgreSQL it also runs as a named prepared statement (`./namedStatements.ts`).
 */
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

const compiledTexts = new Set<string>();
const arrayTexts = new Set<string>();

/** True for the SQL text of a query compiled by `compileOnce`: one of a few fixed texts of the hot path. */
export function isCompiledOnce(sql: string): boolean {
  return compiledTexts.has(sql);
}

/**
 * True for the SQL text of a query compiled with `{ rows: 'arrays' }`: the database handles of
 * `./cachedStatements.ts` (SQLite) and `./namedStatements.ts` (PostgreSQL) answer its rows as
 * arrays of column values, in the order of its select list, instead of objects keyed by name.
 * Building a 33-key object per row cost as much as SQLite took to run the refresh query.
 */
export function returnsArrays(sql: string): boolean {
  return arrayTexts.has(sql);
}

/** Runs a query compiled once: on `db`, or on `runner` (a transaction of `db`). */
export type CompiledOnce<DB, R> = (db: Kysely<DB>, parameters: readonly unknown[], runner?: Kysely<DB>) => Promise<QueryResult<R>>;

/**
 * Wraps `build` (a query whose parameters are placeholders, in the order the SQL uses them) so
 * that it is compiled once per `db` and then run with the values given, on `db` or on `runner`
 * (a transaction of `db`). With `{ rows: 'arrays' }` its rows are arrays in select order where
 * the database handle supports it (see `returnsArrays`), objects elsewhere: its type says both.
 *
 * @example
 * ```ts
 * const byHash = compileOnce((db: Kysely<Database>) => db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', ''));
 * const { rows } = await byHash(db, [tokenHash]);
 * ```
 */
export function compileOnce<DB, O>(build: (db: Kysely<DB>) => Compilable<O>, options: { rows: 'arrays' }): CompiledOnce<DB, O | readonly unknown[]>;
export function compileOnce<DB, O>(build: (db: Kysely<DB>) => Compilable<O>, options?: { rows?: 'objects' }): CompiledOnce<DB, O>;
export function compileOnce<DB, O>(build: (db: Kysely<DB>) => Compilable<O>, options: { rows?: 'objects' | 'arrays' } = {}): CompiledOnce<DB, O> {
  const compiled = new WeakMap<Kysely<DB>, CompiledQuery<O>>();
  return async (db, parameters, runner = db) => {
    let query = compiled.get(db);
    if (query === undefined) {
      query = build(db).compile();
      compiled.set(db, query);
      compiledTexts.add(query.sql);
      if (options.rows === 'arrays') arrayTexts.add(query.sql);
    }
    if (query.parameters.length !== parameters.length) throw new Error(`the query takes ${query.parameters.length} parameters, not ${parameters.length}`);
    return runner.executeQuery<O>({ ...query, parameters });
  };
}
