/** Validates the token endpoint's answer to a device-code poll. */
import { parseTokenResponse } from '../lib/parseTokenResponse.js';
import type { AuthTokensResponse } from './types.js';

/**
 * The tokens of a 200 answer, or the typed error: `DeviceAuthorizationPendingError`
 * (`authorization_pending`), `DeviceSlowDownError` (`slow_down`), `DeviceDeniedError`
 * (`access_denied`), `DeviceExpiredError` (`expired_token`), `OAuthError` (`invalid_grant`: a
 * device code already used or unknown), `InvalidClientError`, `RateLimitedError`, `ServerError`.
 *
 * @example
 * ```ts
 * const tokens = await processDeviceCodeResponse(await deviceCodeGrantRequest(authorization.deviceCode, server));
 * ```
 */
export function processDeviceCodeResponse(res: Response, requestedScope?: string): Promise<AuthTokensResponse> {
  return parseTokenResponse(res, 'device_code', requestedScope);
}
