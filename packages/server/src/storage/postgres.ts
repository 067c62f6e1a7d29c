/**
 * The shared backend: PostgreSQL through a `pg` Pool, loaded with `import()` so that an
 * embedded (SQLite) deployment never loads it. Any number of server processes may use
 * one database at once.
 */
import { Kysely, PostgresDialect } from 'kysely';
import { ServiceUnavailableError } from './errors.js';
import { createKyselyRepository } from './kysely/createKyselyRepository.js';
import { assertKnownMigrations } from './kysely/migrations.js';
import { namedStatements } from './kysely/lib/namedStatements.js';
import type { Database } from './kysely/schema.js';
import type { OpenOptions } from './open.js';
import type { Repository } from './repository.js';

const INT8_OID = 20;
/** How long opening a connection may take before the request (or the start) fails. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Connects to the PostgreSQL database at `url` (`postgres://user@host:port/db`), applies
 * pending migrations (unless `options.migrate` is false), and returns it as a `Repository`.
 * A database that cannot be reached or refuses the connection fails at once with a
 * `ServiceUnavailableError` carrying the server's reason (`database "x" does not exist`);
 * later outages surface the same way from every method, and the pool reconnects by itself.
 *
 * @example
 * ```ts
 * const repo = await createPostgresRepository('postgres://keyturn@db.internal:5432/keyturn');
 * const client = await repo.getClient('my-app');
 * await repo.close();
 * ```
 */
export async function createPostgresRepository(url: string, options: OpenOptions = {}): Promise<Repository> {
  const { default: pg } = await import('pg');
  // One parser for every int8 column of every query: pg asks for the parsers of each result's columns.
  const int8 = (value: string) => Number(value);
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // A database that does not answer fails the request in bounded time instead of hanging it.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Epoch-ms times live in int8 columns; read them as JS numbers. Set on this pool only:
    // the global `pg.types` belongs to whoever else uses pg in the process.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8_OID && format !== 'binary') return int8;
        return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection dropped by the server emits 'error' on the pool; unhandled, that
  // would crash the process. The next query gets a fresh connection (or its own error).
  pool.on('error', () => {});
  // The pool listens for that only while a connection is idle. One checked out when the server
  // goes away (a restart, a failover) emits 'error' with no listener, which crashed the process;
  // its query fails on its own (ServiceUnavailableError) and the pool drops the broken client.
  pool.on('connect', (client) => client.on('error', () => {}));

  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new ServiceUnavailableError('database', { cause: err });
  }

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: namedStatements(pool) }) });
  const repo = createKyselyRepository(db, 'postgres');
  try {
    if (options.migrate === false) await assertKnownMigrations(db);
    else await repo.migrate();
  } catch (err) {
    await repo.close();
    throw err;
  }
  return repo;
}
