/**
 * The schema's migrations, kept in code (not read from files) so they run the same from
 * `src/` under tests and from `dist/` in production. One schema serves SQLite and
 * PostgreSQL: text ids, `bigint` epoch-ms times, integer 0/1 booleans, JSON text arrays.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { DatabaseNewerError } from '../errors.js';
import { auditEventsAndUserStatus } from './migration0004.js';
import { deviceGrantMigration } from './deviceGrantMigration.js';
import { roomForUpdates } from './migration0006.js';

// Migrations must not depend on today's `Database` type: they describe the schema as it was.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const initial: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('clients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .addColumn('secret_hash', 'text')
      .addColumn('redirect_uris', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('refresh_policy', 'text', (c) => c.notNull())
      .addColumn('refresh_ttl_sec', 'bigint')
      .addColumn('refresh_idle_ttl_sec', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sso_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('auth_time', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .addColumn('user_agent', 'text')
      .execute();
    await db.schema.createIndex('sso_sessions_user_id_idx').on('sso_sessions').column('user_id').execute();
    await db.schema.createIndex('sso_sessions_expires_at_idx').on('sso_sessions').column('expires_at').execute();

    await db.schema
      .createTable('grants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('sso_session_id', 'text', (c) => c.references('sso_sessions.id').onDelete('set null'))
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('auth_time', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .addColumn('revoked_reason', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    await db.schema
      .createIndex('grants_user_id_created_at_idx')
      .on('grants')
      .columns(['user_id', 'created_at'])
      .execute();
    await db.schema.createIndex('grants_client_id_idx').on('grants').column('client_id').execute();
    await db.schema.createIndex('grants_sso_session_id_idx').on('grants').column('sso_session_id').execute();
    await db.schema.createIndex('grants_expires_at_idx').on('grants').column('expires_at').execute();

    await db.schema
      .createTable('auth_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('sso_session_id', 'text', (c) => c.references('sso_sessions.id').onDelete('set null'))
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text')
      .addColumn('code_challenge', 'text')
      .addColumn('code_challenge_method', 'text')
      .addColumn('offline', 'integer', (c) => c.notNull())
      .addColumn('auth_time', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('consumed_at', 'bigint')
      .addColumn('grant_id', 'text', (c) => c.references('grants.id').onDelete('set null'))
      .execute();
    // Foreign keys are indexed so that deleting a parent (gc, client removal) never scans.
    await db.schema.createIndex('auth_codes_expires_at_idx').on('auth_codes').column('expires_at').execute();
    await db.schema.createIndex('auth_codes_client_id_idx').on('auth_codes').column('client_id').execute();
    await db.schema.createIndex('auth_codes_user_id_idx').on('auth_codes').column('user_id').execute();
    await db.schema.createIndex('auth_codes_sso_session_id_idx').on('auth_codes').column('sso_session_id').execute();
    await db.schema.createIndex('auth_codes_grant_id_idx').on('auth_codes').column('grant_id').execute();

    await db.schema
      .createTable('refresh_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('grant_id', 'text', (c) => c.notNull().references('grants.id').onDelete('cascade'))
      .addColumn('parent_hash', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('spent_at', 'bigint')
      .addColumn('successor_hash', 'text')
      .execute();
    await db.schema.createIndex('refresh_tokens_grant_id_idx').on('refresh_tokens').column('grant_id').execute();

    await db.schema
      .createTable('revoked_access_tokens')
      .addColumn('jti', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('revoked_access_tokens_expires_at_idx')
      .on('revoked_access_tokens')
      .column('expires_at')
      .execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('private_key_enc', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('retired_at', 'bigint')
      .execute();
  },

  async down(db: AnyDb): Promise<void> {
    for (const table of [
      'signing_keys',
      'revoked_access_tokens',
      'refresh_tokens',
      'auth_codes',
      'grants',
      'sso_sessions',
      'clients',
      'users',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};

/** RFC 6749 4.1.3: the token request must repeat redirect_uri when the authorization request had one. */
const redirectUriGiven: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .alterTable('auth_codes')
      .addColumn('redirect_uri_given', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
};

/** Every migration, by name; names sort in the order they must run. */
export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_initial': initial,
  '0002_redirect_uri_given': redirectUriGiven,
  '0004_audit_events_user_status': auditEventsAndUserStatus,
  '0005_device_grant': deviceGrantMigration,
  '0006_room_for_updates': roomForUpdates,
});

/**
 * A `MigrationProvider` over the in-code migrations.
 *
 * @example
 * ```ts
 * const migrator = new Migrator({ db, provider: inCodeMigrationProvider });
 * ```
 */
export const inCodeMigrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...migrations }),
};

/** Why migrating failed; names the migration, never SQL or values. */
export class MigrationError extends Error {
  readonly code = 'ERR_MIGRATION';
  constructor(
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/**
 * Names of migrations the database has run that this code does not know (a newer Keyturn ran
 * them), oldest first; empty for a fresh database.
 *
 * @example
 * ```ts
 * if ((await unknownMigrations(db)).length > 0) throw new DatabaseNewerError(names);
 * ```
 */
export async function unknownMigrations(db: AnyDb): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === 'kysely_migration')) return [];
  const rows = (await db.selectFrom('kysely_migration').select('name').orderBy('name').execute()) as Array<{ name: string }>;
  return rows.map((r) => r.name).filter((name) => !Object.hasOwn(migrations, name));
}

/**
 * Refuses a database migrated by a newer Keyturn (`DatabaseNewerError`): its schema may hold
 * what this code would misread or break.
 *
 * @example
 * ```ts
 * await assertKnownMigrations(db);
 * ```
 */
export async function assertKnownMigrations(db: AnyDb): Promise<void> {
  const unknown = await unknownMigrations(db);
  if (unknown.length > 0) throw new DatabaseNewerError(unknown);
}

/**
 * Applies every pending migration and returns the names of those it applied (empty when the
 * database was up to date). Refuses a database that a newer Keyturn migrated. Kysely's
 * `Migrator` takes a lock first (an advisory lock on PostgreSQL; on SQLite our dialect runs
 * each migration in `BEGIN IMMEDIATE`), so several processes may call this at once.
 *
 * @example
 * ```ts
 * const applied = await migrateToLatest(db); // ['0002_redirect_uri_given']
 * ```
 */
export async function migrateToLatest(db: AnyDb): Promise<string[]> {
  await assertKnownMigrations(db);
  const migrator = new Migrator({ db, provider: inCodeMigrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new MigrationError(
      failed === undefined ? 'database migration failed' : `database migration ${failed} failed`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
