/** The four answers RFC 8628 3.5 adds to the token endpoint's errors, as their typed errors. */
import {
  DeviceAuthorizationPendingError,
  DeviceDeniedError,
  DeviceExpiredError,
  DeviceSlowDownError,
} from '../deviceErrors.js';
import type { KeyturnError, OAuthErrorFields } from '../errors.js';

/** The device error an answer to a device-code poll means, or `undefined` for any other answer. */
export function deviceErrorFromFields(fields: OAuthErrorFields): KeyturnError | undefined {
  const detail = fields.error_description ? `: ${fields.error_description}` : '';
  switch (fields.error) {
    case 'authorization_pending':
      return new DeviceAuthorizationPendingError(`not approved yet (authorization_pending)${detail}`, fields);
    case 'slow_down':
      return new DeviceSlowDownError(`polling too fast (slow_down)${detail}; waiting 5 s longer between polls`, fields);
    case 'access_denied':
      return new DeviceDeniedError(`the sign-in was denied on the verification page (access_denied)${detail}`, fields);
    case 'expired_token':
      return new DeviceExpiredError(`the device code expired before anyone approved it (expired_token)${detail}`, fields);
    default:
      return undefined;
  }
}
