/** Converts an exchange result (relative `expiresIn`) to `StoredTokens` (absolute ISO times). */
import type { AuthTokensResponse, ExchangeOptions } from '../exchange/types.js';
import { issuerOf } from '../lib/options.js';
import type { StoredTokens } from '../vault/types.js';

/**
 * Absolute expiry times counted from `obtainedAtMs`, which should be taken BEFORE the request
 * was sent so the result errs on the early side. Given the options the tokens were obtained
 * with, the result also records their token endpoint and client id, so a session refreshes
 * them only there.
 *
 * @example
 * ```ts
 * const server = keyturnServer('http://127.0.0.1:8080', { clientId: 'my-bot', clientSecret });
 * const started = Date.now();
 * const stored = toStoredTokens(await exchangeAccessCodeForAuthTokens(code, server), started, server);
 * await vault.save('bot', stored);
 * ```
 */
export function toStoredTokens(tokens: AuthTokensResponse, obtainedAtMs: number, obtainedWith?: ExchangeOptions): StoredTokens {
  const stored: StoredTokens = {
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: new Date(obtainedAtMs + tokens.expiresIn * 1000).toISOString(),
    refreshToken: tokens.refreshToken,
    refreshTokenExpiresAt: new Date(obtainedAtMs + tokens.refreshTokenExpiresIn * 1000).toISOString(),
    idToken: tokens.idToken,
    scope: tokens.scope,
    tokenType: tokens.tokenType,
    obtainedAt: new Date(obtainedAtMs).toISOString(),
  };
  return obtainedWith ? { ...stored, ...issuerOf(obtainedWith) } : stored;
}

/** Tells the two shapes apart: only `StoredTokens` carries absolute times. */
export function isStoredTokens(tokens: AuthTokensResponse | StoredTokens): tokens is StoredTokens {
  return typeof (tokens as Partial<StoredTokens>).accessTokenExpiresAt === 'string';
}
