/** Waits for a device sign-in to be approved, polling the token endpoint at the pace RFC 8628 sets. */
import { pollUntilApproved } from '../lib/pollUntilApproved.js';
import type { DeviceAuthorization, PollDeviceTokenOptions } from './deviceTypes.js';
import type { AuthTokensResponse } from './types.js';

/**
 * Polls until the person approves on the verification page and resolves to the tokens. Waits
 * `interval` seconds before each poll, 5 s longer after every `slow_down` (for the rest of the
 * sign-in), twice as long after a poll that timed out, and after a 429 at least its
 * `Retry-After`. Sends no poll once `expiresAt` has passed. Rejects with `DeviceDeniedError`
 * (Deny), `DeviceExpiredError` (nobody approved in time), the signal's reason when `signal`
 * aborts (between polls or during one), or the error of a poll that failed otherwise.
 *
 * @example
 * ```ts
 * const server = keyturnServer('http://127.0.0.1:8080', { clientId: 'tv-app' });
 * const authorization = await processDeviceAuthorizationResponse(await deviceAuthorizationRequest(server));
 * console.log(`Open ${authorization.verificationUri} and enter ${authorization.userCode}`);
 * const tokens = await pollDeviceToken(authorization, { ...server, signal: AbortSignal.timeout(15 * 60_000) });
 * ```
 */
export async function pollDeviceToken(authorization: DeviceAuthorization, options: PollDeviceTokenOptions = {}): Promise<AuthTokensResponse> {
  return (await pollUntilApproved(authorization, options)).tokens;
}
