/** Validates the `/token` answer to an access code. */
import { parseTokenResponse } from '../lib/parseTokenResponse.js';
import type { AuthTokensResponse } from './types.js';

/**
 * The tokens of a 200 answer, or the typed error: `OAuthError` (e.g. `invalid_grant`: code
 * used or expired), `InvalidClientError`, `RateLimitedError`, `ServerError`, `InvalidResponseError`.
 *
 * @example
 * ```ts
 * const tokens = await processAuthorizationCodeResponse(await authorizationCodeGrantRequest(code));
 * ```
 */
export function processAuthorizationCodeResponse(res: Response, requestedScope?: string): Promise<AuthTokensResponse> {
  return parseTokenResponse(res, 'authorization_code', requestedScope);
}
