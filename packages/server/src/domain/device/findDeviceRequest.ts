/**
 * The /device page's lookup: the pending request behind the user code a person typed, with
 * the client asking and what it asks for. User codes are guessable by design (Keycloak
 * #51275), so every lookup is counted per address and per SSO session before it runs, and
 * refused once either has had too many wrong codes.
 */
import type { ClientRecord, DeviceCodeRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { DeviceRequestError } from '../errors.js';
import { countAttempt } from '../throttle.js';
import { grantLifetimeMs } from '../tokens/startGrant.js';
import { formatUserCode, normaliseUserCode, userCodeHash } from './userCode.js';

/** Who is typing the code: the lookups are counted under both. */
export interface DeviceApprover {
  address: string;
  ssoSessionId: string;
}

/** A pending device request, as the page shows it. */
export interface DeviceRequest {
  record: DeviceCodeRecord;
  client: ClientRecord;
  /** The client's display name, or its id when it has none. */
  clientName: string;
  /** The user code as people read it (`WDJB-MJHT`). */
  userCode: string;
  scopes: string[];
  /** When the person would have to sign the device in again: the grant's lifetime from now. */
  signInAgainBy: number;
}

/**
 * The pending request whose user code is `typed`, or a `DeviceRequestError`:
 * `ERR_UNKNOWN_USER_CODE` (malformed, unknown, expired or already decided: all look the same)
 * or `ERR_TOO_MANY_ATTEMPTS` (for `loginWindowSec`). A code that is found takes its count back.
 *
 * @example
 * ```ts
 * const request = await findDeviceRequest(kt, form.user_code, { address: request.ip, ssoSessionId: live.session.id });
 * request.clientName; // 'Trophy Bot'
 * ```
 */
export async function findDeviceRequest(kt: Keyturn, typed: string, who: DeviceApprover): Promise<DeviceRequest> {
  const keys = [`device:addr:${who.address}`, `device:sso:${who.ssoSessionId}`];
  if ((await countAttempt(kt.attempts, keys, kt.config.deviceCodeLockAfter, kt.config.loginWindowSec * 1000)) === null) {
    throw new DeviceRequestError('ERR_TOO_MANY_ATTEMPTS');
  }
  const code = normaliseUserCode(typed.slice(0, 64));
  const record = code === null ? null : await kt.repo.findPendingDeviceCode(userCodeHash(code), kt.now());
  const client = record === null ? null : await kt.repo.getClient(record.clientId);
  if (code === null || record === null || client === null) throw new DeviceRequestError('ERR_UNKNOWN_USER_CODE');
  await Promise.all(keys.map((key) => kt.attempts.undo(key)));
  return {
    record,
    client,
    clientName: client.name ?? client.id,
    userCode: formatUserCode(code),
    scopes: record.scope.split(' ').filter((s) => s !== ''),
    // A device grant is offline whenever the client may refresh (see exchangeDeviceCode).
    signInAgainBy: kt.now() + grantLifetimeMs(kt, client, true),
  };
}
