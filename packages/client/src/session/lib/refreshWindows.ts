/** When a session refreshes: its windows as pure functions of the tokens, the options and the clock. */
import type { StoredTokens } from '../../vault/types.js';

const DAY_MS = 86_400_000;

/** The resolved timing options the windows depend on (see `AuthSessionOptions`). */
export interface WindowOptions {
  refreshWindowMs: number;
  mustRefreshWindowMs: number;
  clockSkewMs: number;
  refreshTokenWarningDays: number;
}

/** Instants (epoch ms) at which a session's behaviour changes for one set of tokens. */
export interface RefreshWindows {
  accessExpiresAt: number;
  refreshExpiresAt: number;
  /** From here on one refresh runs in the background while callers get the current token. */
  shouldAt: number;
  /** From here on callers wait for the refresh. */
  mustAt: number;
  /** From here on the refresh token is about to expire (`refreshTokenExpiring`). */
  warnAt: number;
}

/**
 * Where the windows start for these tokens. A token whose whole lifetime is shorter than the
 * windows gets them scaled down (half / a quarter of its lifetime), or it would be refreshed on
 * every call.
 */
export function refreshWindows(tokens: StoredTokens, options: WindowOptions): RefreshWindows {
  const accessExpiresAt = Date.parse(tokens.accessTokenExpiresAt);
  const refreshExpiresAt = Date.parse(tokens.refreshTokenExpiresAt);
  const obtainedAt = Date.parse(tokens.obtainedAt);
  if ([accessExpiresAt, refreshExpiresAt, obtainedAt].some(Number.isNaN)) {
    throw new TypeError('AuthSession: tokens carry an expiry or obtainedAt that is not an ISO date');
  }
  const lifetime = Math.max(0, accessExpiresAt - obtainedAt);
  const should = Math.min(options.refreshWindowMs, lifetime / 2);
  const must = Math.min(options.mustRefreshWindowMs + options.clockSkewMs, lifetime / 4);
  return {
    accessExpiresAt,
    refreshExpiresAt,
    shouldAt: accessExpiresAt - Math.max(should, must),
    mustAt: accessExpiresAt - must,
    warnAt: refreshExpiresAt - options.refreshTokenWarningDays * DAY_MS,
  };
}

/**
 * Until when `getAccessToken()` may skip every check: the "should" window, or the warning
 * period before it when the refresh token's warning has not been given yet.
 */
export function fastPathUntil(windows: RefreshWindows, warned: boolean): number {
  return warned ? windows.shouldAt : Math.min(windows.shouldAt, windows.warnAt);
}

/** Before the "should" window: the access token is handed out as it is. */
export function isFresh(windows: RefreshWindows, now: number): boolean {
  return now < windows.shouldAt;
}

/** Inside the "should" window: hand out the current token and refresh in the background. */
export function shouldRefreshInBackground(windows: RefreshWindows, now: number): boolean {
  return now >= windows.shouldAt && now < windows.mustAt;
}

/** Inside the "must" window (or past expiry): callers wait for new tokens. */
export function mustRefresh(windows: RefreshWindows, now: number): boolean {
  return now >= windows.mustAt;
}

/** Inside the warning period before the refresh token expires. */
export function refreshTokenAboutToExpire(windows: RefreshWindows, now: number): boolean {
  return now >= windows.warnAt;
}

/**
 * The refresh token is past its expiry, or will be within `marginMs` (the clock skew, when
 * deciding whether a refusal just before the expiry means "expired").
 */
export function refreshTokenExpired(windows: RefreshWindows, now: number, marginMs = 0): boolean {
  return now + marginMs >= windows.refreshExpiresAt;
}
