/**
 * Migration 0006: room on PostgreSQL's grant and refresh token pages for the rows' own updates.
 *
 * A refresh records the grant's last use (at most once a minute, `domain/tokens/recordUse.ts`):
 * for a client that refreshes hourly, every refresh. With full pages (PostgreSQL's default
 * fillfactor 100) each such UPDATE wrote the new row version to another page and a new entry
 * into each of the five indexes of `grants`: on a million grants, five random index pages read
 * and written per refresh. No index covers `last_used_at`, so with free room on the row's own page
 * the update is a heap-only tuple (HOT): one page, no index touched. Rotation's spend of a refresh
 * token (`spent_at`, `successor_hash`, neither indexed) gains the same. Measured with the bench's
 * million grants at 4 connections: p99 3.6x that of 1,000 grants with full pages, 1.1x without the
 * writes (docs/PERFORMANCE.md).
 *
 * Pages already full keep no room until the table is rewritten (`VACUUM FULL`, or pg_repack
 * without a lock); pages filled from now on do. SQLite has no fillfactor and updates a row in place.
 */
import { sql, PostgresAdapter, type Kysely, type Migration } from 'kysely';

// Migrations must not depend on today's `Database` type: they describe the schema as it was.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** A grant's row is updated at every refresh more than a minute after the last; a token's once. */
const FILLFACTOR = { grants: 80, refresh_tokens: 90 } as const;

const onPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter;

export const roomForUpdates: Migration = {
  async up(db: AnyDb): Promise<void> {
    if (!onPostgres(db)) return;
    for (const [table, fillfactor] of Object.entries(FILLFACTOR)) {
      await sql`ALTER TABLE ${sql.table(table)} SET (fillfactor = ${sql.lit(fillfactor)})`.execute(db);
    }
  },

  async down(db: AnyDb): Promise<void> {
    if (!onPostgres(db)) return;
    for (const table of Object.keys(FILLFACTOR)) await sql`ALTER TABLE ${sql.table(table)} RESET (fillfactor)`.execute(db);
  },
};
