/** psn-api's `exchangeAccessCodeForAuthTokens` (alias `exchangeCodeForAccessToken`). */
import { resolveClient } from '../lib/options.js';
import { authorizationCodeGrantRequest } from './authorizationCodeGrantRequest.js';
import { processAuthorizationCodeResponse } from './processAuthorizationCodeResponse.js';
import type { AuthorizationCodeOptions, AuthTokensResponse } from './types.js';

/**
 * Exchanges an access code for access, ID and refresh tokens at `{baseUrl}/token`.
 *
 * @param code The `v3.…` code from `exchangeNpssoForAccessCode`.
 * @example
 * ```ts
 * const code = await exchangeNpssoForAccessCode(npsso);
 * const { accessToken, refreshToken, expiresIn } = await exchangeAccessCodeForAuthTokens(code);
 * ```
 */
export async function exchangeAccessCodeForAuthTokens(
  code: string,
  options: AuthorizationCodeOptions = {},
): Promise<AuthTokensResponse> {
  const res = await authorizationCodeGrantRequest(code, options);
  return processAuthorizationCodeResponse(res, resolveClient(options).scope);
}

/**
 * psn-api's older name for `exchangeAccessCodeForAuthTokens`.
 *
 * @example
 * ```ts
 * const tokens = await exchangeCodeForAccessToken(code);
 * ```
 */
export const exchangeCodeForAccessToken = exchangeAccessCodeForAuthTokens;
