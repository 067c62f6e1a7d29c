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

    // Sortable ids: zero-padded time, then a per-process sequence, so events of one millisecond keep their order.
    let table = db.schema
      .createTable('audit_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull());
    for (const column of ['user_id', 'email', 'client_id', 'address', 'actor', 'detail']) table = table.addColumn(column, 'text');
    await table.execute();
    for (const columns of [['time'], ['user_id', 'time'], ['email', 'time'], ['client_id', 'time']]) {
      await db.schema.createIndex(`audit_events_${columns.join('_')}_idx`).on('audit_events').columns(columns).execute();
    }
  },

  async down(db: AnyDb): Promise<void> {
    await db.schema.dropTable('audit_events').ifExists().execute();
    await db.schema.alterTable('users').dropColumn('status').execute();
  },
};
