/** The `device_codes` table group of the kysely `Repository` (RFC 8628 device authorization requests). */
import type { Kysely } from 'kysely';
import type { Repository } from '../repository.js';
import { deviceCodeToRow, rowToDeviceCode } from './deviceCodeRows.js';
import { affectedRows } from './lib/affectedRows.js';
import { insertUnique } from './lib/insertUnique.js';
import type { Database } from './schema.js';

export type DeviceCodesStore = Pick<
  Repository,
  'createDeviceCode' | 'findDeviceCode' | 'findPendingDeviceCode' | 'decideDeviceCode' | 'recordDevicePoll' | 'consumeDeviceCode'
>;

/**
 * The device code methods of `Repository` over `db`. Every state change is one conditional
 * UPDATE whose affected-row count names the one winner.
 *
 * @example
 * ```ts
 * const won = await deviceCodesStore(db).consumeDeviceCode(sha256Hex(deviceCode), Date.now());
 * if (won !== null) issueTheTokens(won);
 * ```
 */
export function deviceCodesStore(db: Kysely<Database>): DeviceCodesStore {
  const byHash = (hash: string) => db.selectFrom('device_codes').selectAll().where('device_code_hash', '=', hash);
  return {
    async createDeviceCode(code) {
      await insertUnique(db.insertInto('device_codes').values(deviceCodeToRow(code)), 'A device request with this user code');
    },

    async findDeviceCode(deviceCodeHash) {
      const row = await byHash(deviceCodeHash).executeTakeFirst();
      return row === undefined ? null : rowToDeviceCode(row);
    },

    async findPendingDeviceCode(userCodeHash, now) {
      const row = await db
        .selectFrom('device_codes')
        .selectAll()
        .where('user_code_hash', '=', userCodeHash)
        .where('status', '=', 'pending')
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row === undefined ? null : rowToDeviceCode(row);
    },

    async decideDeviceCode(deviceCodeHash, decision, at) {
      const r = await db
        .updateTable('device_codes')
        .set({ status: decision.status, user_id: decision.userId, sso_session_id: decision.ssoSessionId, auth_time: decision.authTime, decided_at: at })
        .where('device_code_hash', '=', deviceCodeHash)
        .where('status', '=', 'pending')
        .where('expires_at', '>', at)
        .executeTakeFirst();
      return affectedRows(r.numUpdatedRows) === 1;
    },

    async recordDevicePoll(deviceCodeHash, previousPolledAt, at, intervalSec) {
      const r = await db
        .updateTable('device_codes')
        .set({ last_polled_at: at, interval_sec: intervalSec })
        .where('device_code_hash', '=', deviceCodeHash)
        .where('last_polled_at', previousPolledAt === null ? 'is' : '=', previousPolledAt)
        .executeTakeFirst();
      return affectedRows(r.numUpdatedRows) === 1;
    },

    async consumeDeviceCode(deviceCodeHash, at) {
      // The conditional update is the whole race: only one caller's update matches.
      const won = await db
        .updateTable('device_codes')
        .set({ status: 'consumed', last_polled_at: at })
        .where('device_code_hash', '=', deviceCodeHash)
        .where('status', '=', 'approved')
        .returningAll()
        .executeTakeFirst();
      return won === undefined ? null : rowToDeviceCode(won);
    },
  };
}
