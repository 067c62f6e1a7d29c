/** Sends a refresh token to `/token` (`grant_type=refresh_token`); answers the raw `Response`. */
import { resolveClient } from '../lib/options.js';
import { tokenRequest } from '../lib/tokenRequest.js';
import type { RefreshTokenOptions } from './types.js';

/**
 * The request half of `exchangeRefreshTokenForAuthTokens`.
 *
 * @example
 * ```ts
 * const res = await refreshTokenGrantRequest(refreshToken);
 * const tokens = await processRefreshTokenResponse(res);
 * ```
 */
export async function refreshTokenGrantRequest(refreshToken: string, options: RefreshTokenOptions = {}): Promise<Response> {
  const params = new URLSearchParams({
    refresh_token: refreshToken,
    grant_type: 'refresh_token',
    token_format: 'jwt',
    scope: resolveClient(options).scope,
  });
  return tokenRequest(params, options);
}
