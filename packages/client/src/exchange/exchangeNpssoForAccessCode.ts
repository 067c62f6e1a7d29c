/** psn-api's `exchangeNpssoForAccessCode`: NPSSO cookie in, short-lived access code out. */
import { authorizationRequest } from './authorizationRequest.js';
import { processAuthorizationResponse } from './processAuthorizationResponse.js';
import type { AuthorizationOptions } from './types.js';

/**
 * Exchanges an NPSSO token for an access code (`v3.…`) at `{baseUrl}/authorize`.
 * Throws `InvalidNpssoError` when the token is refused.
 *
 * @param npsso The 64-character token from `/api/v1/ssocookie`.
 * @example
 * ```ts
 * const code = await exchangeNpssoForAccessCode(npsso);                       // PlayStation
 * const own = await exchangeNpssoForAccessCode(npsso, { baseUrl: 'http://127.0.0.1:8080' }); // Keyturn
 * ```
 */
export async function exchangeNpssoForAccessCode(npsso: string, options: AuthorizationOptions = {}): Promise<string> {
  const res = await authorizationRequest(npsso, options);
  return processAuthorizationResponse(res, options);
}
