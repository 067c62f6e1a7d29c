/** Converts an exchange result (relative `expiresIn`) to `StoredTokens` (absolute ISO times). */
import type { AuthTokensResponse } from '../exchange/types.js';
import type { StoredTokens } from '../vault/types.js';

/**
 * Absolute expiry times counted from `obtainedAtMs`, which should be taken BEFORE the request
 * was sent so the result errs on the early side.
 *
 * @example
 * ```ts
 * const started = Date.now();
 * const stored = toStoredTokens(await exchangeAccessCodeForAuthTokens(code), started);
 * await vault.save('bot', stored);
 * ```
 */
export function toStoredTokens(tokens: AuthTokensResponse, obtainedAtMs: number): StoredTokens {
  return {
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: new Date(obtainedAtMs + tokens.expiresIn * 1000).toISOString(),
    refreshToken: tokens.refreshToken,
    refreshTokenExpiresAt: new Date(obtainedAtMs + tokens.refreshTokenExpiresIn * 1000).toISOString(),
    idToken: tokens.idToken,
    scope: tokens.scope,
    tokenType: tokens.tokenType,
    obtainedAt: new Date(obtainedAtMs).toISOString(),
  };
}

/** Tells the two shapes apart: only `StoredTokens` carries absolute times. */
export function isStoredTokens(tokens: AuthTokensResponse | StoredTokens): tokens is StoredTokens {
  return typeof (tokens as Partial<StoredTokens>).accessTokenExpiresAt === 'string';
}
