/** Validates the `/token` answer to a refresh token. */
import { parseTokenResponse } from '../lib/parseTokenResponse.js';
import type { AuthTokensResponse } from './types.js';

/**
 * The tokens of a 200 answer, or the typed error; `invalid_grant` (refresh token expired,
 * revoked or rotated away) is `ReloginRequiredError`.
 *
 * @example
 * ```ts
 * const tokens = await processRefreshTokenResponse(await refreshTokenGrantRequest(rt));
 * ```
 */
export function processRefreshTokenResponse(res: Response, requestedScope?: string): Promise<AuthTokensResponse> {
  return parseTokenResponse(res, 'refresh_token', requestedScope);
}
