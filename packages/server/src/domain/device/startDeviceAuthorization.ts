/** The device authorization endpoint's rule (RFC 8628 3.1, 3.2): a new device code and user code for a client allowed the grant. */
import { DuplicateError } from '../../storage/errors.js';
import type { ClientRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { PATHS } from '../discovery.js';
import { OAuthError } from '../errors.js';
import { DEVICE_CODE_GRANT, requireGrant } from '../grantTypes.js';
import { randomToken, sha256Hex } from '../lib/crypto.js';
import { formatScope, isSubset, parseRequestedScope } from '../scope.js';
import { formatUserCode, newUserCode, userCodeHash } from './userCode.js';

/** The endpoint's success body (RFC 8628 3.2). */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

export interface DeviceAuthorizationRequest {
  scope?: string | undefined;
  userAgent?: string | null | undefined;
}

const MAX_SCOPE = 2048;
/** A drawn user code already in use is redrawn; with 20^8 codes, more than a few clashes in a row means something is wrong. */
const DRAWS = 5;

/**
 * Starts a device sign-in for `client`: `unauthorized_client` unless it may use the device
 * grant, `invalid_scope` for a scope it may not have (none asked: all of the client's).
 *
 * @example
 * ```ts
 * const body = await startDeviceAuthorization(kt, client, { scope: 'openid offline_access' });
 * body.verification_uri_complete; // 'https://keyturn.example/device?user_code=WDJB-MJHT'
 * ```
 */
export async function startDeviceAuthorization(kt: Keyturn, client: ClientRecord, input: DeviceAuthorizationRequest): Promise<DeviceAuthorizationResponse> {
  requireGrant(client, DEVICE_CODE_GRANT);
  if (input.scope !== undefined && input.scope.length > MAX_SCOPE) throw new OAuthError('invalid_request', 'scope is too long');
  let requested = input.scope === undefined ? client.scopes : parseRequestedScope(input.scope);
  if (requested.length === 0) requested = client.scopes;
  if (!isSubset(requested, client.scopes)) throw new OAuthError('invalid_scope', 'scope asks for more than this client may have');

  const deviceCode = randomToken(32);
  const now = kt.now();
  const ttl = kt.config.deviceCodeTtlSec;
  for (let draw = 1; ; draw++) {
    const userCode = newUserCode();
    try {
      await kt.repo.createDeviceCode({
        deviceCodeHash: sha256Hex(deviceCode),
        userCodeHash: userCodeHash(userCode),
        clientId: client.id,
        scope: formatScope(requested),
        status: 'pending',
        intervalSec: kt.config.deviceIntervalSec,
        lastPolledAt: null,
        userId: null,
        ssoSessionId: null,
        authTime: null,
        decidedAt: null,
        createdAt: now,
        expiresAt: now + ttl * 1000,
        userAgent: input.userAgent?.slice(0, 256) ?? null,
      });
    } catch (err) {
      if (err instanceof DuplicateError && draw < DRAWS) continue;
      throw err;
    }
    const verificationUri = kt.config.issuer + PATHS.device;
    const shown = formatUserCode(userCode);
    return {
      device_code: deviceCode,
      user_code: shown,
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?${new URLSearchParams({ user_code: shown }).toString()}`,
      expires_in: ttl,
      interval: kt.config.deviceIntervalSec,
    };
  }
}
