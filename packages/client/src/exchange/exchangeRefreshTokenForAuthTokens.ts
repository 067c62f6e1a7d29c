/** psn-api's `exchangeRefreshTokenForAuthTokens`: a refresh token in, fresh tokens out. */
import { resolveClient } from '../lib/options.js';
import { processRefreshTokenResponse } from './processRefreshTokenResponse.js';
import { refreshTokenGrantRequest } from './refreshTokenGrantRequest.js';
import type { AuthTokensResponse, RefreshTokenOptions } from './types.js';

/**
 * Exchanges a refresh token for new tokens. The server either sends the same refresh token
 * back (PlayStation, Keyturn's default) or a new one (rotation): always keep the one returned.
 * Throws `ReloginRequiredError` when the refresh token is refused.
 *
 * @example
 * ```ts
 * const next = await exchangeRefreshTokenForAuthTokens(tokens.refreshToken);
 * ```
 */
export async function exchangeRefreshTokenForAuthTokens(
  refreshToken: string,
  options: RefreshTokenOptions = {},
): Promise<AuthTokensResponse> {
  const res = await refreshTokenGrantRequest(refreshToken, options);
  return processRefreshTokenResponse(res, resolveClient(options).scope);
}
