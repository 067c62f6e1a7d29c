/**
 * The one rule for "is this refresh token still live": refresh, introspection and revocation
 * all ask it, so a token can never be live for one endpoint and dead for another.
 */
import type { ClientRecord, GrantRecord, RefreshTokenGrant, RefreshTokenRecord, UserRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { sha256Hex } from '../lib/crypto.js';

/** Longest refresh token looked up; ours are 43 characters, anything far longer is not ours. */
export const MAX_REFRESH_TOKEN_LENGTH = 512;

/** Why a refresh token is not live. `unknown` also covers another client's token: nothing is learnt about it. */
export type DeadReason = 'unknown' | 'revoked' | 'expired' | 'idle' | 'account_gone' | 'account_disabled';

export interface FoundRefreshToken {
  token: RefreshTokenRecord;
  grant: GrantRecord;
}

export type RefreshTokenLookup =
  | (FoundRefreshToken & {
      live: true;
      user: UserRecord;
      /** When the token stops working: the earlier of its own and its grant's expiry. */
      expiresAt: number;
    })
  | { live: false; reason: 'unknown' }
  | (FoundRefreshToken & { live: false; reason: Exclude<DeadReason, 'unknown'> });

/**
 * The stored token `raw` names, with its grant, the grant's client and user: one query, none
 * for what cannot be one of ours. `null` when there is no such token.
 *
 * @example
 * ```ts
 * const read = await readRefreshToken(kt, form.refresh_token);
 * const client = await authenticateClient(kt, credentials, read?.client);
 * ```
 */
export async function readRefreshToken(kt: Keyturn, raw: string): Promise<RefreshTokenGrant | null> {
  if (raw.length === 0 || raw.length > MAX_REFRESH_TOKEN_LENGTH) return null;
  return kt.repo.findRefreshTokenGrant(sha256Hex(raw));
}

/**
 * Finds `token` among `client`'s refresh tokens and says whether it is live at `kt.now()`:
 * its grant not revoked, neither absolute nor idle lifetime over, its person still there. A
 * token spent by rotation is still `live` here (its grant lives); callers decide what a spent
 * token means to them (`record.spentAt`). `read`: what `readRefreshToken` already answered for
 * `raw`, so the token is not read twice.
 *
 * @example
 * ```ts
 * const found = await lookupRefreshToken(kt, client, form.refresh_token);
 * if (!found.live) throw new OAuthError('invalid_grant', REFRESH_TOKEN_DEAD[found.reason]);
 * ```
 */
export async function lookupRefreshToken(kt: Keyturn, client: ClientRecord, raw: string, read?: RefreshTokenGrant | null): Promise<RefreshTokenLookup> {
  const found = read === undefined ? await readRefreshToken(kt, raw) : read;
  if (!found || found.grant.clientId !== client.id) return { live: false, reason: 'unknown' };
  const { token, grant, user } = found;
  const now = kt.now();
  const expiresAt = Math.min(grant.expiresAt, token.expiresAt);
  if (grant.revokedAt !== null) return { live: false, reason: 'revoked', token, grant };
  if (expiresAt <= now) return { live: false, reason: 'expired', token, grant };
  if (client.refreshIdleTtlSec !== null && grant.lastUsedAt + client.refreshIdleTtlSec * 1000 <= now) return { live: false, reason: 'idle', token, grant };
  if (!user) return { live: false, reason: 'account_gone', token, grant };
  // Disabling revokes every grant; this covers a grant issued while that was under way.
  if (user.status !== 'active') return { live: false, reason: 'account_disabled', token, grant };
  return { live: true, token, grant, user, expiresAt };
}

/** What the token endpoint says (`invalid_grant`) for each reason a refresh token is not live. */
export const REFRESH_TOKEN_DEAD: Record<DeadReason, string> = {
  unknown: 'the refresh token is invalid',
  revoked: 'the refresh token has been revoked',
  expired: 'the refresh token has expired',
  idle: 'the refresh token has expired after a period without use',
  account_gone: 'the account no longer exists',
  account_disabled: 'the account is disabled',
};
