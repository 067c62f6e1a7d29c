/**
 * Rotation of a refresh token (policy `rotate`): the presented token is spent and a successor
 * issued. Presenting a spent token revokes the whole grant, except an honest retry: the token
 * just spent, presented again before its successor was ever used, while the retry window is
 * open. That gets the same successor again, derived from the spent token with an HMAC, so
 * only hashes are stored.
 *
 * The window is open for `rotationRetryWindowSec` after the spend, and — because an outage can
 * lose the answer and outlast that — for `rotationRetryAfterRestartSec` after this process
 * started, when it started after the spend and at most `rotationRetryMaxOutageSec` later. It
 * is not open for as long as the successor stays unused: then a thief and the client would
 * both hold the successor, each retry handing the other's token over, and reuse would never
 * be seen once both refresh on the same rhythm.
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
 * Whether a retry of a token spent at `spentAt` may still get its successor at `now`.
 *
 * @example
 * ```ts
 * retryWindowOpen(kt, record.spentAt, kt.now()); // true within 10 s of the spend, or 60 s of a later start
 * ```
 */
export function retryWindowOpen(kt: Keyturn, spentAt: number, now: number): boolean {
  const { rotationRetryWindowSec, rotationRetryAfterRestartSec, rotationRetryMaxOutageSec } = kt.config;
  if (now - spentAt <= rotationRetryWindowSec * 1000) return true;
  const startedAfterSpend = kt.startedAt > spentAt && kt.startedAt - spentAt <= rotationRetryMaxOutageSec * 1000;
  return startedAfterSpend && now - kt.startedAt <= rotationRetryAfterRestartSec * 1000;
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
  const withinWindow = current.spentAt !== null && retryWindowOpen(kt, current.spentAt, now);
  if (withinWindow && current.successorHash === successorHash && next !== null && next.spentAt === null) {
    return successor;
  }
  await kt.repo.revokeGrant(grant.id, now, 'refresh_token_reuse');
  throw new OAuthError('invalid_grant', 'the refresh token was already used; every token of this sign-in has been revoked');
}
