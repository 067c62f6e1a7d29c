/**
 * Token revocation (RFC 7009). A refresh token ends its whole family (the grant); an access
 * token is remembered as revoked by its `jti` until it would have expired anyway. Unknown,
 * invalid or foreign tokens change nothing and the caller cannot tell them apart (RFC 7009 2.2).
 */
import type { ClientRecord } from '../storage/records.js';
import type { Keyturn } from './context.js';
import { sha256Hex } from './lib/crypto.js';
import { verifyAccessToken } from './tokens/verifyAccessToken.js';

/** Longest token looked at; anything longer is not ours. */
const MAX_TOKEN_LENGTH = 8192;

export type RevokeOutcome = 'refresh_token' | 'access_token' | 'ignored';

/**
 * Revokes `token` if it is a live token of `client`. The answer is for logs and tests only:
 * the endpoint says 200 whatever it is. `hint` (`token_type_hint`) is accepted and not needed:
 * a JWT and an opaque refresh token cannot be mistaken for one another.
 *
 * @example
 * ```ts
 * const { client } = await authenticateClient(kt, creds);
 * await revokeToken(kt, client, form.token);        // 'refresh_token': the grant is revoked
 * ```
 */
export async function revokeToken(kt: Keyturn, client: ClientRecord, token: string, _hint?: string): Promise<RevokeOutcome> {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return 'ignored';
  const now = kt.now();
  if (token.split('.').length === 3) {
    const verified = await verifyAccessToken(kt, token);
    if (!verified || verified.claims.client_id !== client.id || verified.grant.clientId !== client.id) return 'ignored';
    await kt.repo.revokeAccessToken(verified.claims.jti, verified.claims.exp * 1000);
    return 'access_token';
  }
  const record = await kt.repo.findRefreshToken(sha256Hex(token));
  if (!record) return 'ignored';
  const grant = await kt.repo.getGrant(record.grantId);
  // Another client's token: leave it alone, and answer as if it were unknown.
  if (!grant || grant.clientId !== client.id) return 'ignored';
  await kt.repo.revokeGrant(grant.id, now, 'revoked_by_client');
  return 'refresh_token';
}
