/** Options, events and the vault contract of `AuthSession`. */
import type { KeyturnError, RefreshTokenExpiredError, ReloginRequiredError } from '../errors.js';
import type { DeviceAuthorization, DeviceClock } from '../exchange/deviceTypes.js';
import type { AuthorizationOptions, ExchangeOptions } from '../exchange/types.js';
import type { LockOptions, StoredTokens } from '../vault/types.js';

/**
 * What a session needs from a vault (`createVault(…)` satisfies it): load and save by name,
 * and a lock that holds across every process sharing the store.
 *
 * @example
 * ```ts
 * const vault: SessionVault = createVault({ store: await createFileStore({ directory: './tokens' }), keys });
 * const session = await AuthSession.fromVault(vault, 'bot', { clientId: 'my-bot' });
 * ```
 */
export interface SessionVault {
  load(name: string): Promise<StoredTokens | null>;
  /** May answer `false` when something newer is stored (then nothing was written). */
  save(name: string, tokens: StoredTokens): Promise<boolean | void>;
  withLock<T>(name: string, fn: () => Promise<T>, options?: LockOptions): Promise<T>;
}

/**
 * Options of `AuthSession`: where to refresh (the exchange options) and when.
 *
 * @example
 * ```ts
 * const options: AuthSessionOptions = {
 *   baseUrl: 'http://127.0.0.1:8080',
 *   clientId: 'my-bot',
 *   refreshWindowMs: 10 * 60_000, // refresh in the background in the last 10 minutes
 *   refreshTokenWarningDays: 14,  // warn two weeks before a new sign-in is needed
 * };
 * const session = new AuthSession(tokens, options);
 * ```
 */
export interface AuthSessionOptions extends ExchangeOptions {
  /** The clock, in epoch ms. Default `Date.now`. Tests freeze it. */
  now?: () => number;
  /**
   * "Should refresh" window: this long before the access token expires, callers still get the
   * current token and one refresh starts in the background. Default 300 000 (5 min).
   */
  refreshWindowMs?: number;
  /**
   * "Must refresh" window: this long (plus `clockSkewMs`) before expiry, callers wait for the
   * refresh. Default 30 000.
   */
  mustRefreshWindowMs?: number;
  /** How far our clock may be behind the server's. Default 10 000. */
  clockSkewMs?: number;
  /** `refreshTokenExpiring` fires once when the refresh token expires within this many days. Default 7. */
  refreshTokenWarningDays?: number;
  /** After a failed background refresh, wait this long before the next background try. Default 30 000. */
  backgroundRetryMs?: number;
  /** Where tokens persist; refreshes then happen under `vault.withLock(name)`. */
  vault?: SessionVault;
  /** The vault entry's name (required with `vault`). */
  name?: string;
  /** Passed to `vault.withLock`. */
  lockOptions?: LockOptions;
}

/**
 * Options of `AuthSession.fromNpsso`: the session's, plus PKCE/state for the sign-in.
 *
 * @example
 * ```ts
 * const options: FromNpssoOptions = { clientId: 'my-app', codeVerifier: createPkcePair().codeVerifier };
 * const session = await AuthSession.fromNpsso(npsso, options);
 * ```
 */
export type FromNpssoOptions = AuthSessionOptions &
  Pick<AuthorizationOptions, 'codeVerifier' | 'codeChallenge' | 'state' | 'nonce'>;

/**
 * Options of `AuthSession.fromDeviceLogin`: the session's, `onUserCode` to show the code, and
 * the clock's `sleep`. `signal` stops the sign-in only; the session it makes ignores it.
 *
 * @example
 * ```ts
 * const options: FromDeviceLoginOptions = {
 *   ...keyturnServer('http://127.0.0.1:8080', { clientId: 'tv-app' }),
 *   onUserCode: ({ verificationUri, userCode }) => console.log(`Open ${verificationUri} and enter ${userCode}`),
 *   signal: AbortSignal.timeout(15 * 60_000),
 * };
 * const session = await AuthSession.fromDeviceLogin(options);
 * ```
 */
export interface FromDeviceLoginOptions extends AuthSessionOptions, Pick<DeviceClock, 'sleep'> {
  /** Called once with the codes, before polling starts: show them (and a QR code of `verificationUriComplete`). */
  onUserCode(authorization: DeviceAuthorization): void | Promise<void>;
}

/**
 * Payload of the `refreshed` event.
 *
 * @example
 * ```ts
 * session.on('refreshed', ({ tokens, source, rotated }: RefreshedEvent) =>
 *   console.log(`refreshed (${source}${rotated ? ', rotated' : ''}) until ${tokens.accessTokenExpiresAt}`));
 * ```
 */
export interface RefreshedEvent {
  /** A copy of the tokens now in use. */
  tokens: StoredTokens;
  /** `server`: this session refreshed; `vault`: another process had, and we picked its tokens up. */
  source: 'server' | 'vault';
  /** The refresh token changed (rotation policy). */
  rotated: boolean;
}

/**
 * Payload of the `refreshTokenExpiring` event.
 *
 * @example
 * ```ts
 * session.on('refreshTokenExpiring', ({ refreshTokenExpiresAt, msLeft }: RefreshTokenExpiringEvent) =>
 *   notifyOwner(`sign in again by ${refreshTokenExpiresAt} (${Math.floor(msLeft / 86_400_000)} days left)`));
 * ```
 */
export interface RefreshTokenExpiringEvent {
  refreshTokenExpiresAt: string;
  /** Milliseconds left before the refresh token expires (0 if it already has). */
  msLeft: number;
}

/**
 * Events of `AuthSession` (a node:events EventEmitter), with their payloads.
 *
 * @example
 * ```ts
 * session.on('reloginRequired', (err) => notifyOwner(`sign in again: ${err.code}`));
 * session.on('refreshFailed', (err) => console.warn('background refresh failed, will retry', err.message));
 * ```
 */
export interface AuthSessionEvents {
  refreshed: [RefreshedEvent];
  /** The refresh token is expired or was refused (`invalid_grant`): someone must sign in again. */
  reloginRequired: [ReloginRequiredError | RefreshTokenExpiredError];
  refreshTokenExpiring: [RefreshTokenExpiringEvent];
  /** A background refresh failed; callers kept the still-valid token. */
  refreshFailed: [KeyturnError | Error];
}
