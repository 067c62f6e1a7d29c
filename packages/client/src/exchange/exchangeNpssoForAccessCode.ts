/** psn-api's `exchangeNpssoForAccessCode` (and its other name `exchangeNpssoForCode`): NPSSO cookie in, short-lived access code out. */
import { authorizationRequest } from './authorizationRequest.js';
import { processAuthorizationResponse } from './processAuthorizationResponse.js';
import type { AuthorizationOptions } from './types.js';

/**
 * Exchanges an NPSSO token for an access code (`v3.…`) at `{baseUrl}/authorize`.
 * Throws `InvalidNpssoError` when the token is refused. As with psn-api, every failure that
 * is not a transport error says "There was a problem retrieving your PSN access code. Is your
 * NPSSO code valid? …" in its message, besides our own text, `code` and OAuth fields.
 *
 * @param npsso The 64-character token from `/api/v1/ssocookie`.
 * @example
 * ```ts
 * const code = await exchangeNpssoForAccessCode(npsso);                       // PlayStation
 * const own = await exchangeNpssoForAccessCode(npsso, keyturnServer('http://127.0.0.1:8080', { clientId: 'my-bot' }));
 * ```
 */
export async function exchangeNpssoForAccessCode(npsso: string, options: AuthorizationOptions = {}): Promise<string> {
  const res = await authorizationRequest(npsso, options);
  return processAuthorizationResponse(res, options);
}

/**
 * psn-api's other name for `exchangeNpssoForAccessCode` (the same function).
 *
 * @example
 * ```ts
 * const code = await exchangeNpssoForCode(npsso);
 * ```
 */
export const exchangeNpssoForCode = exchangeNpssoForAccessCode;
