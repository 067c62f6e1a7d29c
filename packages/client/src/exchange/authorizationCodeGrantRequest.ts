/** Sends an access code to `/token` (`grant_type=authorization_code`); answers the raw `Response`. */
import { resolveClient } from '../lib/options.js';
import { tokenRequest } from '../lib/tokenRequest.js';
import type { AuthorizationCodeOptions } from './types.js';

/**
 * The request half of `exchangeAccessCodeForAuthTokens`.
 *
 * @example
 * ```ts
 * const res = await authorizationCodeGrantRequest(code, { codeVerifier });
 * const tokens = await processAuthorizationCodeResponse(res);
 * ```
 */
export async function authorizationCodeGrantRequest(
  code: string,
  options: AuthorizationCodeOptions = {},
): Promise<Response> {
  const { redirectUri } = resolveClient(options);
  const params = new URLSearchParams({ code });
  // An authorization request without redirect_uri is answered to the registered one (RFC 6749 4.1.3).
  if (redirectUri !== undefined) params.set('redirect_uri', redirectUri);
  params.set('grant_type', 'authorization_code');
  params.set('token_format', 'jwt');
  if (options.codeVerifier !== undefined) params.set('code_verifier', options.codeVerifier);
  return tokenRequest(params, options);
}
