/**
 * Migration 0005: clients name the grant types they may use (existing clients keep the two
 * they had), and the `device_codes` table of RFC 8628's device authorization requests.
 */
import type { Kysely, Migration } from 'kysely';

// Migrations must not depend on today's `Database` type: they describe the schema as it was.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** What a client registered before grant types existed may do: exactly what it could do then. */
const EARLIER_GRANT_TYPES = JSON.stringify(['authorization_code', 'refresh_token']);

export const deviceGrantMigration: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .alterTable('clients')
      .addColumn('grant_types', 'text', (c) => c.notNull().defaultTo(EARLIER_GRANT_TYPES))
      .execute();

    await db.schema
      .createTable('device_codes')
      .addColumn('device_code_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_code_hash', 'text', (c) => c.notNull().unique())
      .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('interval_sec', 'integer', (c) => c.notNull())
      .addColumn('last_polled_at', 'bigint')
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('sso_session_id', 'text', (c) => c.references('sso_sessions.id').onDelete('set null'))
      .addColumn('auth_time', 'bigint')
      .addColumn('decided_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('user_agent', 'text')
      .execute();
    // Foreign keys are indexed so that deleting a parent (gc, client or person removal) never scans.
    await db.schema.createIndex('device_codes_expires_at_idx').on('device_codes').column('expires_at').execute();
    await db.schema.createIndex('device_codes_client_id_idx').on('device_codes').column('client_id').execute();
    await db.schema.createIndex('device_codes_user_id_idx').on('device_codes').column('user_id').execute();
    await db.schema.createIndex('device_codes_sso_session_id_idx').on('device_codes').column('sso_session_id').execute();
  },
};
