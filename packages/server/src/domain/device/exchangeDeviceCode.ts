/**
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 3.4, 3.5): the device
 * polls until the person decided. Pending: `authorization_pending`, or `slow_down` (and 5 s
 * more interval) when it polls too fast. Approved: the same tokens as the code flow, exactly
 * once. Denied: `access_denied`; past its lifetime: `expired_token`; used: `invalid_grant`.
 */
import type { ClientRecord, DeviceCodeRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { OAuthError } from '../errors.js';
import { sha256Hex } from '../lib/crypto.js';
import { grantIdForCode } from '../tokens/exchangeCode.js';
import type { TokenResponse } from '../tokens/response.js';
import { startGrant } from '../tokens/startGrant.js';

export interface DeviceCodeExchange {
  deviceCode?: string | undefined;
  tokenFormat?: string | undefined;
  userAgent?: string | null | undefined;
}

const INVALID = 'the device code is invalid';
const USED = 'the device code was already used';
/** RFC 8628 3.5's increase of the interval for each `slow_down`. */
const SLOW_DOWN_STEP_SEC = 5;
/**
 * A poll counts as too fast only below this share of the interval: two polls sent exactly one
 * interval apart can arrive closer than that after network delays, and an honest device
 * should not be told to slow down for it.
 */
const ON_TIME = 0.8;

/**
 * One poll of the device with its device code, as `client`.
 *
 * @example
 * ```ts
 * const body = await exchangeDeviceCode(kt, client, { deviceCode: form.device_code });
 * ```
 */
export async function exchangeDeviceCode(kt: Keyturn, client: ClientRecord, input: DeviceCodeExchange): Promise<TokenResponse> {
  if (!input.deviceCode) throw new OAuthError('invalid_request', 'device_code is required');
  if (input.deviceCode.length > 256) throw new OAuthError('invalid_grant', INVALID);
  const now = kt.now();
  const found = await kt.repo.findDeviceCode(sha256Hex(input.deviceCode));
  // Another client's device code gets the answer of an unknown one: nothing is learnt about it.
  if (!found || found.clientId !== client.id) throw new OAuthError('invalid_grant', INVALID);
  if (found.status === 'consumed') throw new OAuthError('invalid_grant', USED);
  if (found.expiresAt <= now) throw new OAuthError('expired_token', 'the device code has expired: start the device sign-in again');
  if (found.status === 'denied') throw new OAuthError('access_denied', 'the person denied the request', 400);
  if (found.status === 'approved') return finish(kt, client, found, input);
  return pending(kt, found, now);
}

async function pending(kt: Keyturn, found: DeviceCodeRecord, now: number): Promise<never> {
  const tooFast = found.lastPolledAt !== null && now - found.lastPolledAt < found.intervalSec * 1000 * ON_TIME;
  const interval = tooFast ? found.intervalSec + SLOW_DOWN_STEP_SEC : found.intervalSec;
  // A poll racing this one recorded first: the device sent two at once, which is too fast as well.
  const recorded = await kt.repo.recordDevicePoll(found.deviceCodeHash, found.lastPolledAt, now, interval);
  if (tooFast || !recorded) throw new OAuthError('slow_down', `poll at most every ${interval} seconds`);
  throw new OAuthError('authorization_pending', 'the person has not approved the request yet');
}

async function finish(kt: Keyturn, client: ClientRecord, found: DeviceCodeRecord, input: DeviceCodeExchange): Promise<TokenResponse> {
  const now = kt.now();
  // Signing out (or being signed out) in the browser that approved takes the approval back.
  const approver = found.userId === null ? [] : await kt.repo.listActiveSsoSessionsForUser(found.userId, now);
  if (!approver.some((session) => session.id === found.ssoSessionId)) {
    throw new OAuthError('access_denied', 'the sign-in that approved this device has ended: start the device sign-in again', 400);
  }
  const won = await kt.repo.consumeDeviceCode(found.deviceCodeHash, now);
  if (!won || won.userId === null || won.authTime === null) throw new OAuthError('invalid_grant', USED);
  const user = await kt.repo.findUserById(won.userId);
  if (!user) throw new OAuthError('invalid_grant', 'the account no longer exists');
  return startGrant(kt, {
    id: grantIdForCode(won.deviceCodeHash),
    client,
    user,
    ssoSessionId: won.ssoSessionId,
    scope: won.scope,
    authTime: won.authTime,
    // The person approved access that lasts until they revoke it: a device cannot come back for a new sign-in on its own.
    offline: true,
    userAgent: input.userAgent ?? won.userAgent,
    tokenFormat: input.tokenFormat,
    alreadyUsed: USED,
  });
}
