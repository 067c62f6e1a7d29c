/**
 * `grant_type=refresh_token`. Policy `reuse` (PlayStation, Authing): the same refresh token
 * comes back and its expiry counts down. Policy `rotate`: a new token each time
 * (`rotateRefreshToken`). Either way the scope may narrow, never widen (RFC 6749 6).
 */
import type { ClientRecord, RefreshTokenGrant } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { OAuthError } from '../errors.js';
import { formatScope, isSubset, parseRequestedScope } from '../scope.js';
import { lookupRefreshToken, REFRESH_TOKEN_DEAD } from './lookupRefreshToken.js';
import { mintTokens } from './mint.js';
import { recordUse } from './recordUse.js';
import { tokenResponse, type TokenResponse } from './response.js';
import { rotateRefreshToken } from './rotateRefreshToken.js';

export interface RefreshRequest {
  refreshToken?: string | undefined;
  scope?: string | undefined;
  tokenFormat?: string | undefined;
  /** Where the request came from, for the audit trail. */
  address?: string | null | undefined;
}

/**
 * New access (and ID) tokens for a live refresh token of `client`. `read`: the token as
 * `readRefreshToken` already read it (see `refreshGrant`), or undefined to read it here.
 *
 * @example
 * ```ts
 * const body = await refreshTokens(kt, client, { refreshToken: form.refresh_token, scope: form.scope });
 * ```
 */
export async function refreshTokens(kt: Keyturn, client: ClientRecord, input: RefreshRequest, read?: RefreshTokenGrant | null): Promise<TokenResponse> {
  const token = input.refreshToken;
  if (!token) throw new OAuthError('invalid_request', 'refresh_token is required');
  const found = await lookupRefreshToken(kt, client, token, read);
  if (!found.live) throw new OAuthError('invalid_grant', REFRESH_TOKEN_DEAD[found.reason]);
  const { grant, user } = found;
  const now = kt.now();

  let scope = grant.scope;
  if (input.scope !== undefined && input.scope.trim() !== '') {
    const requested = parseRequestedScope(input.scope);
    if (!isSubset(requested, grant.scope.split(' '))) throw new OAuthError('invalid_scope', 'scope may only narrow on refresh');
    scope = formatScope(requested);
  }

  // Whatever can fail comes before the spend, so that a failure (a database or key store going
  // away) leaves the token unspent, and only losing the answer itself needs the retry window.
  await recordUse(kt, client, grant, now);
  await kt.keys.activeKey();
  let outToken = token;
  if (client.refreshPolicy === 'rotate' || found.token.spentAt !== null) {
    outToken = await rotateRefreshToken(kt, grant, found.token, token, now, input.address ?? null);
  }

  const minted = await mintTokens(kt, {
    grant,
    user,
    clientId: client.id,
    scope,
    withIdToken: grant.scope.split(' ').includes('openid') || input.tokenFormat === 'jwt',
  });
  return tokenResponse(minted, scope, { token: outToken, expiresAt: found.expiresAt }, now);
}
