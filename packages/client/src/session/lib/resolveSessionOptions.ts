/** Applies `AuthSession`'s defaults once, so no other place writes a default again. */
import type { ExchangeOptions } from '../../exchange/types.js';
import type { LockOptions } from '../../vault/types.js';
import type { AuthSessionOptions, SessionVault } from '../types.js';
import type { WindowOptions } from './refreshWindows.js';

/** Every option of a session with its default applied; frozen. */
export interface ResolvedSessionOptions extends WindowOptions {
  now: () => number;
  backgroundRetryMs: number;
  vault: SessionVault | undefined;
  /** The vault entry's name ('' without a vault). */
  name: string;
  lockOptions: LockOptions | undefined;
  /** What the exchanges get: transport, server and client, without the session's own options. */
  exchange: ExchangeOptions;
}

export const SESSION_DEFAULTS = Object.freeze({
  refreshWindowMs: 300_000,
  mustRefreshWindowMs: 30_000,
  clockSkewMs: 10_000,
  refreshTokenWarningDays: 7,
  backgroundRetryMs: 30_000,
});

/** Resolves the options of one session; a vault without a `name` is a `TypeError`. */
export function resolveSessionOptions(options: AuthSessionOptions = {}): Readonly<ResolvedSessionOptions> {
  const {
    now,
    refreshWindowMs,
    mustRefreshWindowMs,
    clockSkewMs,
    refreshTokenWarningDays,
    backgroundRetryMs,
    vault,
    name,
    lockOptions,
    ...exchange
  } = options;
  if (vault && !name) throw new TypeError('AuthSession: a vault needs a `name` for the entry');
  return Object.freeze({
    now: now ?? Date.now,
    refreshWindowMs: refreshWindowMs ?? SESSION_DEFAULTS.refreshWindowMs,
    mustRefreshWindowMs: mustRefreshWindowMs ?? SESSION_DEFAULTS.mustRefreshWindowMs,
    clockSkewMs: clockSkewMs ?? SESSION_DEFAULTS.clockSkewMs,
    refreshTokenWarningDays: refreshTokenWarningDays ?? SESSION_DEFAULTS.refreshTokenWarningDays,
    backgroundRetryMs: backgroundRetryMs ?? SESSION_DEFAULTS.backgroundRetryMs,
    vault,
    name: name ?? '',
    lockOptions,
    exchange: Object.freeze(exchange),
  });
}
