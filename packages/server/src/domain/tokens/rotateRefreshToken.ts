/**
 * Rotation of a refresh token (policy `rotate`): the presented token is spent and a successor
 * issued. Presenting a spent token revokes the whole grant, except a retry of the token just
 * spent, inside the retry window and before its successor was used: that gets the same
 * successor again, derived from the spent token with an HMAC, so only hashes are stored.
 */
import type { GrantRecord, RefreshTokenRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { OAuthError } from '../errors.js';
import { hmacBase64Url, sha256Hex } from '../lib/crypto.js';

/** The successor of a rotated refresh token: recomputable from the spent token, unguessable without the server secret. */
export function successorOf(kt: Keyturn, token: string): string {
  return hmacBase64Url(kt.secrets.rotation, token);
}

/**
 * Spends `token` (whose stored record and grant are given) and returns its successor, or
 * revokes the grant and throws `invalid_grant` when the token was spent before and this is
 * not an honest retry.
 *
 * @example
 * ```ts
 * const next = await rotateRefreshToken(kt, found.grant, found.token, presented, kt.now());
 * ```
 */
export async function rotateRefreshToken(kt: Keyturn, grant: GrantRecord, record: RefreshTokenRecord, token: string, now: number): Promise<string> {
  const successor = successorOf(kt, token);
  const successorHash = sha256Hex(successor);
  if (record.spentAt === null) {
    const spent = await kt.repo.spendRefreshToken(
      record.tokenHash,
      { tokenHash: successorHash, grantId: grant.id, parentHash: record.tokenHash, createdAt: now, expiresAt: record.expiresAt, spentAt: null, successorHash: null },
      now,
    );
    if (spent) return successor;
  }
  // Spent already (by an earlier request, or by a racing one a moment ago).
  const current = (await kt.repo.findRefreshToken(record.tokenHash)) ?? record;
  const next = current.successorHash ? await kt.repo.findRefreshToken(current.successorHash) : null;
  const withinWindow = current.spentAt !== null && now - current.spentAt <= kt.config.rotationRetryWindowSec * 1000;
  if (withinWindow && current.successorHash === successorHash && next !== null && next.spentAt === null) {
    return successor;
  }
  await kt.repo.revokeGrant(grant.id, now, 'refresh_token_reuse');
  kt.events.emit({ type: 'refresh_reuse_detected', clientId: grant.clientId, userId: grant.userId, detail: { grantId: grant.id } });
  throw new OAuthError('invalid_grant', 'the refresh token was already used; every token of this sign-in has been revoked');
}
