/**
 * Migration 0004: the audit trail (`audit_events`) and a person's `status` (active or disabled).
 * Kept in its own file so the migrations record gains one line.
 */
import type { Kysely, Migration } from 'kysely';

// Migrations describe the schema as it was then, not today's `Database` type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Adds `users.status` (every existing person stays active) and the `audit_events` table,
 * indexed by time, by person (id and email) and by client. Audit rows have no foreign keys:
 * they outlive the person or client they name.
 */
export const auditEventsAndUserStatus: Migration = {
  async up(db: AnyDb): Promise<void> {
    await db.schema
      .alterTable('users')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .execute();

    await db.schema
      .createTable('audit_events')
      // Sortable: zero-padded time, then a per-process sequence, so events of one millisecond keep their order.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('email', 'text')
      .addColumn('client_id', 'text')
      .addColumn('address', 'text')
      .addColumn('actor', 'text')
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('audit_events_time_idx').on('audit_events').column('time').execute();
    await db.schema.createIndex('audit_events_user_id_time_idx').on('audit_events').columns(['user_id', 'time']).execute();
    await db.schema.createIndex('audit_events_email_time_idx').on('audit_events').columns(['email', 'time']).execute();
    await db.schema.createIndex('audit_events_client_id_time_idx').on('audit_events').columns(['client_id', 'time']).execute();
  },

  async down(db: AnyDb): Promise<void> {
    await db.schema.dropTable('audit_events').ifExists().execute();
    await db.schema.alterTable('users').dropColumn('status').execute();
  },
};
