/** The person's answer on the /device page: approve or deny the pending request behind a user code. */
import type { Keyturn } from '../context.js';
import { DeviceRequestError } from '../errors.js';
import type { LiveSso } from '../sso.js';
import { findDeviceRequest, type DeviceRequest } from './findDeviceRequest.js';

/**
 * Approves (or denies) the pending request whose user code is `typed`, for the person of `sso`:
 * the device's next poll gets its tokens (or `access_denied`). The lookup is counted as in
 * `findDeviceRequest`; a request decided or expired meanwhile is `ERR_UNKNOWN_USER_CODE`.
 *
 * @example
 * ```ts
 * const decided = await decideDeviceRequest(kt, form.user_code, true, live, request.ip);
 * decided.clientName; // 'Trophy Bot'
 * ```
 */
export async function decideDeviceRequest(kt: Keyturn, typed: string, approve: boolean, sso: LiveSso, address: string): Promise<DeviceRequest> {
  const found = await findDeviceRequest(kt, typed, { address, ssoSessionId: sso.session.id });
  const decided = await kt.repo.decideDeviceCode(
    found.record.deviceCodeHash,
    { status: approve ? 'approved' : 'denied', userId: sso.user.id, ssoSessionId: sso.session.id, authTime: sso.session.authTime },
    kt.now(),
  );
  if (!decided) throw new DeviceRequestError('ERR_UNKNOWN_USER_CODE');
  return found;
}
