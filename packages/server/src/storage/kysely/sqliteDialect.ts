/**
 * Kysely's SQLite dialect, made safe for several processes on one database file:
 * every transaction starts with `BEGIN IMMEDIATE` (it takes the write lock up front, so
 * two writers queue on `busy_timeout` instead of failing to upgrade a read lock), and
 * migrations run inside such a transaction, so concurrent `migrate()` calls serialize.
 */
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type DialectAdapter, type SqliteDialectConfig } from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  // SQLite does support transactional DDL; saying so makes kysely's Migrator run the
  // pending migrations in one (immediate, hence exclusive) transaction.
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * A `SqliteDialect` whose transactions begin immediately and whose migrations are transactional.
 *
 * @example
 * ```ts
 * const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: new Database(path) }) });
 * ```
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
