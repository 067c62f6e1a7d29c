/**
 * A `pg` pool for kysely whose hot-path queries (those of `compileOnce`) run as named prepared
 * statements: PostgreSQL parses and plans each of them once per connection instead of on every
 * call. Planning the refresh grant's four-table join cost the database more than running it;
 * named, the same query ran 2.5-3x as fast (docs/PERFORMANCE.md). The hot queries name their
 * columns, so a migration that adds a column does not change their result type under a plan.
 */
import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { isCompiledOnce, returnsArrays } from './compileOnce.js';

/** What kysely needs of a `pg` pool, and the object form of `query` that names a statement. */
export interface NamingPool {
  connect(): Promise<NamingPoolClient>;
  end(): Promise<void>;
}

export interface NamingPoolClient {
  query(sql: unknown, parameters?: ReadonlyArray<unknown>): Promise<unknown>;
  query(config: { name: string; text: string; values: unknown[]; rowMode?: 'array' }): Promise<unknown>;
  release(): void;
}

const nameOf = (sql: string) => `kt_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;

/**
 * `pool` as kysely's `PostgresPool`, naming the statements `compileOnce` compiled.
 *
 * @example
 * ```ts
 * const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: namedStatements(new pg.Pool({ connectionString })) }) });
 * ```
 */
export function namedStatements(pool: NamingPool): PostgresPool {
  const wrapped = new WeakMap<NamingPoolClient, PostgresPoolClient>();
  const names = new Map<string, string>();
  const wrap = (client: NamingPoolClient): PostgresPoolClient =>
    ({
      query(sql: unknown, parameters?: ReadonlyArray<unknown>) {
        if (typeof sql !== 'string' || !isCompiledOnce(sql)) return client.query(sql, parameters);
        let name = names.get(sql);
        if (name === undefined) names.set(sql, (name = nameOf(sql)));
        const values = [...(parameters ?? [])];
        return client.query(returnsArrays(sql) ? { name, text: sql, values, rowMode: 'array' } : { name, text: sql, values });
      },
      release: () => client.release(),
    }) as PostgresPoolClient;
  return {
    async connect() {
      const client = await pool.connect();
      let own = wrapped.get(client);
      if (own === undefined) wrapped.set(client, (own = wrap(client)));
      return own;
    },
    end: () => pool.end(),
  };
}
