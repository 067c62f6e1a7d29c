/**
 * Token revocation (RFC 7009). A refresh token ends its whole family (the grant); an access
 * token is remembered as revoked by its `jti` until it would have expired anyway. Unknown,
 * invalid or foreign tokens change nothing and the caller cannot tell them apart (RFC 7009 2.2).
 */
import type { ClientRecord } from '../storage/records.js';
import type { Keyturn } from './context.js';
import { lookupRefreshToken } from './tokens/lookupRefreshToken.js';
import { verifyAccessToken } from './tokens/verifyAccessToken.js';

export type RevokeOutcome = 'refresh_token' | 'access_token' | 'ignored';

/**
 * Revokes `token` if it is a live token of `client`. The answer is for logs and tests only:
 * the endpoint says 200 whatever it is. `hint` (`token_type_hint`) is accepted and not needed:
 * a JWT and an opaque refresh token cannot be mistaken for one another.
 *
 * @example
 * ```ts
 * const client = await authenticateClient(kt, creds);
 * await revokeToken(kt, client, form.token);        // 'refresh_token': the grant is revoked
 * ```
 */
export async function revokeToken(kt: Keyturn, client: ClientRecord, token: string, _hint?: string, address: string | null = null): Promise<RevokeOutcome> {
  const by = { clientId: client.id, address, actor: 'client' } as const;
  if (token.split('.').length === 3) {
    const verified = await verifyAccessToken(kt, token);
    if (!verified || verified.claims.client_id !== client.id || verified.grant.clientId !== client.id) return 'ignored';
    await kt.repo.revokeAccessToken(verified.claims.jti, verified.claims.exp * 1000);
    await kt.events.emit({ ...by, type: 'access_token.revoked', userId: verified.grant.userId });
    return 'access_token';
  }
  // Revoking works on any token of this client, live or not; another client's is left alone, as if unknown.
  const found = await lookupRefreshToken(kt, client, token);
  if (!found.live && found.reason === 'unknown') return 'ignored';
  if (await kt.repo.revokeGrant(found.grant.id, kt.now(), 'revoked_by_client')) {
    await kt.events.emit({ ...by, type: 'grant.revoked', userId: found.grant.userId, detail: 'revoked by the client' });
  }
  return 'refresh_token';
}
