/** Shared by the AuthSession unit tests: one frozen start instant, time units, and a stored-tokens builder. */
import type { StoredTokens } from '../../vault/types.js';

export const T0 = Date.parse('2026-01-01T00:00:00.000Z');
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** Tokens obtained at T0: access token for an hour, refresh token for 60 days, not bound to a server. */
export function stored(overrides: Partial<StoredTokens> = {}): StoredTokens {
  return {
    accessToken: 'at-0',
    accessTokenExpiresAt: new Date(T0 + HOUR).toISOString(),
    refreshToken: 'rt-0',
    refreshTokenExpiresAt: new Date(T0 + 60 * DAY).toISOString(),
    idToken: 'id-0',
    scope: 'psn:mobile.v2.core psn:clientapp',
    tokenType: 'bearer',
    obtainedAt: new Date(T0).toISOString(),
    ...overrides,
  };
}

/** Lets a background refresh started by the last call settle. */
export const flush = () => new Promise((resolve) => setImmediate(resolve));
