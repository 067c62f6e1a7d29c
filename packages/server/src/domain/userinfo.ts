/**
 * The OpenID Connect UserInfo answer (Core 5.3) for a bearer access token: `sub`, plus
 * `email`/`email_verified` with scope `email` and `name` with scope `profile`.
 */
import type { Keyturn } from './context.js';
import { OAuthError } from './errors.js';
import { verifyAccessToken } from './tokens/verifyAccessToken.js';

export interface UserInfo {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/**
 * Claims about the person behind `accessToken`. Throws `OAuthError('invalid_token')` for a
 * token that is invalid, expired or revoked (its own `jti` or its whole grant), and
 * `OAuthError('insufficient_scope')` when it was not issued with scope `openid`.
 *
 * @example
 * ```ts
 * const info = await userInfo(kt, bearerToken); // { sub: '…', email: 'ada@example.com', email_verified: false }
 * ```
 */
export async function userInfo(kt: Keyturn, accessToken: string): Promise<UserInfo> {
  const verified = await verifyAccessToken(kt, accessToken);
  if (!verified) throw new OAuthError('invalid_token', 'the access token is invalid, expired or revoked');
  const scopes = verified.claims.scope.split(' ');
  if (!scopes.includes('openid')) throw new OAuthError('insufficient_scope', 'the access token was not issued with scope openid');
  const user = await kt.repo.findUserById(verified.claims.sub);
  if (!user) throw new OAuthError('invalid_token', 'the access token is invalid, expired or revoked');
  const info: UserInfo = { sub: user.id };
  if (scopes.includes('email')) {
    info.email = user.email;
    // Keyturn never verifies addresses; the ID token says the same.
    info.email_verified = false;
  }
  if (scopes.includes('profile') && user.name) info.name = user.name;
  return info;
}
