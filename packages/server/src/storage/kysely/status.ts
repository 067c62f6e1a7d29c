/** Status queries of the kysely `Repository`: is the database answering, and how much is live (probes, metrics, the banner). */
import { sql, type Kysely } from 'kysely';
import type { EpochMs } from '../records.js';
import type { Repository } from '../repository.js';
import type { Database } from './schema.js';

export type StatusStore = Pick<Repository, 'ping' | 'countLive'>;

/**
 * The status methods of `Repository` over `db`. `countLive` is three COUNTs in one statement;
 * callers that poll it (a metrics scrape) cache it.
 *
 * @example
 * ```ts
 * await statusStore(db).ping();
 * const { grants } = await statusStore(db).countLive(Date.now());
 * ```
 */
export function statusStore(db: Kysely<Database>): StatusStore {
  return {
    async ping() {
      await sql`select 1`.execute(db);
    },
    async countLive(now: EpochMs) {
      const row = await db
        .selectNoFrom((eb) => [
          eb.selectFrom('users').select((e) => e.fn.countAll<number | string>().as('n')).as('users'),
          eb.selectFrom('grants').select((e) => e.fn.countAll<number | string>().as('n')).where('revoked_at', 'is', null).where('expires_at', '>', now).as('grants'),
          eb.selectFrom('sso_sessions').select((e) => e.fn.countAll<number | string>().as('n')).where('revoked_at', 'is', null).where('expires_at', '>', now).as('sso_sessions'),
        ])
        .executeTakeFirstOrThrow();
      return { users: Number(row.users ?? 0), grants: Number(row.grants ?? 0), ssoSessions: Number(row.sso_sessions ?? 0) };
    },
  };
}
