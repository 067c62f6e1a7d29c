/** Validates the device authorization answer (RFC 8628 3.2). */
import { InvalidResponseError } from '../errors.js';
import { errorFromResponse } from '../lib/errorFromResponse.js';
import { readJsonObject, requireSeconds, requireString } from '../lib/jsonBody.js';
import type { DeviceAuthorization, DeviceClock } from './deviceTypes.js';

const WHERE = 'the device authorization endpoint';
/** RFC 8628 3.2: "If no value is provided, clients MUST use 5 as the default." */
const DEFAULT_INTERVAL_SEC = 5;

/**
 * The codes of a 200 answer with their expiry as an absolute time, or the typed error:
 * `InvalidClientError` (`invalid_client`; `unauthorized_client`: the client may not use device
 * sign-in), `OAuthError` (`invalid_scope`, …), `RateLimitedError`, `ServerError`, and
 * `InvalidResponseError` for an answer that is not one (a 404 from a server without device sign-in).
 *
 * @example
 * ```ts
 * const { userCode, verificationUri, expiresAt } = await processDeviceAuthorizationResponse(await deviceAuthorizationRequest(server));
 * ```
 */
export async function processDeviceAuthorizationResponse(
  res: Response,
  options: Pick<DeviceClock, 'now'> = {},
): Promise<DeviceAuthorization> {
  const receivedAt = (options.now ?? Date.now)();
  if (res.status !== 200) {
    if (res.status >= 400) throw await errorFromResponse(res, 'device_authorization', receivedAt);
    await res.body?.cancel();
    throw new InvalidResponseError(`unexpected answer from ${WHERE} (HTTP ${res.status})`, { status: res.status });
  }
  const b = await readJsonObject(res, WHERE);
  const expiresIn = requireSeconds(b, 'expires_in', WHERE);
  const complete = b.verification_uri_complete;
  if (complete !== undefined && (typeof complete !== 'string' || complete === '')) {
    throw new InvalidResponseError(`${WHERE} answered 200 without a valid "verification_uri_complete"`, { status: 200 });
  }
  return {
    deviceCode: requireString(b, 'device_code', WHERE),
    userCode: requireString(b, 'user_code', WHERE),
    verificationUri: requireString(b, 'verification_uri', WHERE),
    verificationUriComplete: complete,
    expiresIn,
    expiresAt: new Date(receivedAt + expiresIn * 1000).toISOString(),
    interval: b.interval === undefined ? DEFAULT_INTERVAL_SEC : requireSeconds(b, 'interval', WHERE),
  };
}
