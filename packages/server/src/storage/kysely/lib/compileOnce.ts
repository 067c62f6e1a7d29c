/**
 * Queries of the hot path built and compiled once: kysely builds and compiles a query on every
 * call, which on the refresh path cost more CPU than SQLite took to run it (docs/PERFORMANCE.md).
 * The compiled SQL is kept per database and run with each call's parameter values.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/**
 * Wraps `build` (a query whose parameters are placeholders, in the order the SQL uses them) so
 * that it is compiled once per `db` and then run with the values given.
 *
 * @example
 * ```ts
 * const byHash = compileOnce((db: Kysely<Database>) => db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', ''));
 * const rows = await byHash(db, [tokenHash]);
 * ```
 */
export function compileOnce<DB, O>(build: (db: Kysely<DB>) => Compilable<O>): (db: Kysely<DB>, parameters: readonly unknown[]) => Promise<O[]> {
  const compiled = new WeakMap<Kysely<DB>, CompiledQuery<O>>();
  return async (db, parameters) => {
    let query = compiled.get(db);
    if (query === undefined) {
      query = build(db).compile();
      compiled.set(db, query);
    }
    if (query.parameters.length !== parameters.length) throw new Error(`the query takes ${query.parameters.length} parameters, not ${parameters.length}`);
    return (await db.executeQuery<O>({ ...query, parameters })).rows;
  };
}
