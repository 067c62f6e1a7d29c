/** Starts a device sign-in (RFC 8628 3.1): POSTs to `{baseUrl}/device_authorization`; answers the raw `Response`. */
import { resolveClient } from '../lib/options.js';
import { tokenRequest } from '../lib/tokenRequest.js';
import type { DeviceAuthorizationOptions } from './deviceTypes.js';

/**
 * Asks the server for a device code and a user code, as the client the options name (HTTP Basic
 * with a secret, `client_id` in the form without). An empty `scope` is not sent, so the server
 * grants the client's registered scopes. Validate the answer with `processDeviceAuthorizationResponse`.
 *
 * @example
 * ```ts
 * const server = keyturnServer('http://127.0.0.1:8080', { clientId: 'tv-app' });
 * const authorization = await processDeviceAuthorizationResponse(await deviceAuthorizationRequest(server));
 * ```
 */
export async function deviceAuthorizationRequest(options: DeviceAuthorizationOptions = {}): Promise<Response> {
  const { scope } = resolveClient(options);
  const params = new URLSearchParams();
  if (scope !== '') params.set('scope', scope);
  return tokenRequest(params, options, 'device_authorization');
}
