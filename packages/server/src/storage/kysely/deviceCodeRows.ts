/** Converts between `DeviceCodeRecord` and a `device_codes` row, strictly (see `./rows.ts`). */
import { CorruptRowError } from '../errors.js';
import type { DeviceCodeRecord, DeviceCodeStatus } from '../records.js';
import { num, numOrNull } from './rows.js';
import type { DeviceCodesTable } from './schema.js';

const STATUSES: readonly string[] = ['pending', 'approved', 'denied', 'consumed'] satisfies DeviceCodeStatus[];

/**
 * The row of a device code record.
 *
 * @example
 * ```ts
 * await db.insertInto('device_codes').values(deviceCodeToRow(record)).execute();
 * ```
 */
export function deviceCodeToRow(d: DeviceCodeRecord): DeviceCodesTable {
  return {
    device_code_hash: d.deviceCodeHash,
    user_code_hash: d.userCodeHash,
    client_id: d.clientId,
    scope: d.scope,
    status: d.status,
    interval_sec: d.intervalSec,
    last_polled_at: d.lastPolledAt,
    user_id: d.userId,
    sso_session_id: d.ssoSessionId,
    auth_time: d.authTime,
    decided_at: d.decidedAt,
    created_at: d.createdAt,
    expires_at: d.expiresAt,
    user_agent: d.userAgent,
  };
}

/**
 * The record of a `device_codes` row; `CorruptRowError` for a value the record cannot hold.
 *
 * @example
 * ```ts
 * const row = await db.selectFrom('device_codes').selectAll().where('device_code_hash', '=', hash).executeTakeFirst();
 * return row === undefined ? null : rowToDeviceCode(row);
 * ```
 */
export function rowToDeviceCode(r: DeviceCodesTable): DeviceCodeRecord {
  const t = 'device_codes';
  if (!STATUSES.includes(r.status)) throw new CorruptRowError(t, 'status');
  return {
    deviceCodeHash: r.device_code_hash,
    userCodeHash: r.user_code_hash,
    clientId: r.client_id,
    scope: r.scope,
    status: r.status as DeviceCodeStatus,
    intervalSec: num(r.interval_sec, t, 'interval_sec'),
    lastPolledAt: numOrNull(r.last_polled_at, t, 'last_polled_at'),
    userId: r.user_id,
    ssoSessionId: r.sso_session_id,
    authTime: numOrNull(r.auth_time, t, 'auth_time'),
    decidedAt: numOrNull(r.decided_at, t, 'decided_at'),
    createdAt: num(r.created_at, t, 'created_at'),
    expiresAt: num(r.expires_at, t, 'expires_at'),
    userAgent: r.user_agent,
  };
}
