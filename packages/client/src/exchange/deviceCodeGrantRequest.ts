/** Asks the token endpoint whether a device sign-in was approved (RFC 8628 3.4); answers the raw `Response`. */
import { tokenRequest } from '../lib/tokenRequest.js';
import type { ExchangeOptions } from './types.js';

/** The grant type of RFC 8628. */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * One poll: `grant_type=urn:ietf:params:oauth:grant-type:device_code` with the device code, as
 * the client that started the sign-in. Read the answer with `processDeviceCodeResponse`;
 * `pollDeviceToken` repeats this at the right pace.
 *
 * @example
 * ```ts
 * const res = await deviceCodeGrantRequest(authorization.deviceCode, server);
 * const tokens = await processDeviceCodeResponse(res); // or DeviceAuthorizationPendingError, …
 * ```
 */
export async function deviceCodeGrantRequest(deviceCode: string, options: ExchangeOptions = {}): Promise<Response> {
  const params = new URLSearchParams({ grant_type: DEVICE_CODE_GRANT_TYPE, device_code: deviceCode });
  return tokenRequest(params, options);
}
