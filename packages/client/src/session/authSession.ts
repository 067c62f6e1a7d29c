/** `AuthSession`: holds tokens, refreshes them before they expire, one refresh at a time. */
import { EventEmitter } from 'node:events';
import { RateLimitedError, RefreshTokenExpiredError, ReloginRequiredError } from '../errors.js';
import { exchangeRefreshTokenForAuthTokens } from '../exchange/exchangeRefreshTokenForAuthTokens.js';
import type { AuthorizationPayload, AuthTokensResponse } from '../exchange/types.js';
import type { StoredTokens } from '../vault/types.js';
import { refreshOptionsFor, sessionTokens } from './lib/issuerBinding.js';
import { fastPathUntil, isFresh, refreshTokenAboutToExpire, refreshTokenExpired, refreshWindows, shouldRefreshInBackground, type RefreshWindows } from './lib/refreshWindows.js';
import { resolveSessionOptions, type ResolvedSessionOptions } from './lib/resolveSessionOptions.js';
import { saveBeforeUse } from './lib/saveBeforeUse.js';
import { signInWithDevice } from './lib/signInWithDevice.js';
import { signInWithNpsso } from './lib/signInWithNpsso.js';
import { toStoredTokens } from './toStoredTokens.js';
import type { AuthSessionEvents, AuthSessionOptions, FromDeviceLoginOptions, FromNpssoOptions, SessionVault } from './types.js';

type ReloginError = ReloginRequiredError | RefreshTokenExpiredError;

/**
 * A signed-in session that hands out a valid access token and refreshes it when due.
 *
 * - Outside the "should refresh" window (default 5 min before expiry) `getAccessToken()` just
 *   returns the token: one clock read and one comparison.
 * - Inside it, callers still get the current token while ONE refresh runs in the background.
 * - Inside the "must refresh" window (default 30 s + 10 s clock skew) callers wait for it.
 * - Any number of concurrent callers share one pending refresh; a sequence number keeps a
 *   slow, stale refresh from overwriting newer tokens.
 * - With a vault, a refresh runs under `vault.withLock(name)`: the stored tokens are re-read
 *   first (another process may have refreshed already, or rotated the refresh token), and new
 *   tokens are saved BEFORE they are used. If saving fails, the refresh fails (`PersistError`).
 * - Tokens remember the token endpoint and client that issued them, and are refreshed only
 *   there; options naming another server or client fail with `IssuerMismatchError`.
 *
 * @example
 * ```ts
 * const session = await AuthSession.fromVault(vault, 'bot'); // refreshes where the tokens came from
 * session.on('reloginRequired', (err) => console.error(`sign in again: ${err.code}`));
 * const profile = await getProfileFromUserName(await session.authorization(), 'me');
 * ```
 */
export class AuthSession extends EventEmitter<AuthSessionEvents> {
  readonly #options: Readonly<ResolvedSessionOptions>;

  #tokens!: StoredTokens;
  #windows!: RefreshWindows;
  /** Before this instant getAccessToken() takes the fast path. */
  #fastUntil = 0;
  #warnedFor = NaN;

  #pending: Promise<StoredTokens> | undefined;
  #seq = 0;
  #appliedSeq = 0;
  #backgroundPausedUntil = 0;
  #relogin: { error: ReloginError; refreshToken: string } | undefined;

  /**
   * @param tokens An exchange result (`expiresIn` counted from now) or stored tokens (absolute times).
   * @example
   * ```ts
   * const session = new AuthSession(await exchangeAccessCodeForAuthTokens(code));
   * ```
   */
  constructor(tokens: AuthTokensResponse | StoredTokens, options: AuthSessionOptions = {}) {
    super();
    this.#options = resolveSessionOptions(options);
    this.#install(sessionTokens(tokens, this.#options.exchange, this.#options.now()));
  }

  /**
   * Signs in with an NPSSO token (NPSSO → code → tokens), saves the tokens when a vault is
   * given, and returns the session. A public client (no secret) gets a fresh PKCE pair unless
   * one is given.
   *
   * @example
   * ```ts
   * const session = await AuthSession.fromNpsso(process.env.NPSSO!, { ...keyturnServer(url, { clientId }), vault, name: 'bot' });
   * ```
   */
  static async fromNpsso(npsso: string, options: FromNpssoOptions = {}): Promise<AuthSession> {
    return new AuthSession(await signInWithNpsso(npsso, options), options);
  }

  /**
   * Signs in on another device (RFC 8628; see `FromDeviceLoginOptions`). `signal` stops the sign-in only.
   * @example
   * ```ts
   * const session = await AuthSession.fromDeviceLogin({ ...server, vault, name: 'tv', onUserCode: (a) => console.log(a.userCode) });
   * ```
   */
  static async fromDeviceLogin(options: FromDeviceLoginOptions): Promise<AuthSession> {
    const { onUserCode, sleep, signal, ...sessionOptions } = options;
    return new AuthSession(await signInWithDevice(options), sessionOptions);
  }

  /**
   * Resumes the session saved in a vault under `name`; later refreshes are saved there too.
   * The tokens are refreshed at the server and as the client that issued them, so no options
   * are needed; options that name another server or client reject with `IssuerMismatchError`
   * (nothing is sent). Throws `ReloginRequiredError` when nothing is stored under that name.
   *
   * @example
   * ```ts
   * const session = await AuthSession.fromVault(createVault({ store, keys }), 'bot');
   * ```
   */
  static async fromVault(vault: SessionVault, name: string, options: AuthSessionOptions = {}): Promise<AuthSession> {
    const stored = await vault.load(name);
    if (!stored) throw new ReloginRequiredError(`no tokens are stored under "${name}"; sign in first`);
    return new AuthSession(stored, { ...options, vault, name });
  }

  /**
   * A copy of the tokens in use (absolute ISO expiry times).
   *
   * @example
   * ```ts
   * console.log(`access token valid until ${session.tokens.accessTokenExpiresAt}`);
   * ```
   */
  get tokens(): StoredTokens {
    return { ...this.#tokens };
  }

  /**
   * A valid access token, refreshed first when it is about to expire.
   *
   * @example
   * ```ts
   * const res = await fetch(url, { headers: { Authorization: `Bearer ${await session.getAccessToken()}` } });
   * ```
   */
  getAccessToken(): Promise<string> {
    const now = this.#options.now();
    if (now < this.#fastUntil) return Promise.resolve(this.#tokens.accessToken);
    return this.#slowPath(now);
  }

  /**
   * psn-api's `AuthorizationPayload` (`{ accessToken }`) with a valid access token.
   *
   * @example
   * ```ts
   * const titles = await getUserTitles(await session.authorization(), 'me');
   * ```
   */
  async authorization(): Promise<AuthorizationPayload> {
    return { accessToken: await this.getAccessToken() };
  }

  /**
   * Refreshes now, whatever the expiry (joins a refresh already running).
   *
   * @example
   * ```ts
   * await session.refresh(); // e.g. after the API answered 401
   * ```
   */
  refresh(): Promise<StoredTokens> {
    return this.#refreshOnce();
  }

  /**
   * Replaces the tokens (e.g. after signing in again). A refresh still running will not
   * overwrite them. An exchange result is taken to come from the server of the tokens it replaces.
   *
   * @example
   * ```ts
   * session.setTokens(await exchangeAccessCodeForAuthTokens(code));
   * ```
   */
  setTokens(tokens: AuthTokensResponse | StoredTokens): void {
    this.#apply(sessionTokens(tokens, this.#options.exchange, this.#options.now(), this.#tokens), ++this.#seq);
  }

  async #slowPath(now: number): Promise<string> {
    if (refreshTokenAboutToExpire(this.#windows, now)) this.#warnRefreshTokenExpiring(now);
    if (isFresh(this.#windows, now)) return this.#tokens.accessToken;
    if (shouldRefreshInBackground(this.#windows, now)) {
      this.#refreshInBackground(now);
      return this.#tokens.accessToken;
    }
    return (await this.#refreshOnce()).accessToken;
  }

  #refreshInBackground(now: number): void {
    if (this.#pending || now < this.#backgroundPausedUntil || (this.#relogin && !this.#options.vault)) return;
    this.#refreshOnce().catch((err: unknown) => {
      const retryAfterMs = err instanceof RateLimitedError && err.retryAfter !== undefined ? err.retryAfter * 1000 : 0;
      this.#backgroundPausedUntil = this.#options.now() + Math.max(retryAfterMs, this.#options.backgroundRetryMs);
      if (this.listenerCount('refreshFailed') > 0) this.emit('refreshFailed', err as Error);
    });
  }

  /** Single flight: every caller during a refresh gets the same promise. */
  #refreshOnce(): Promise<StoredTokens> {
    if (this.#pending) return this.#pending;
    const seq = ++this.#seq;
    const { vault } = this.#options;
    const run = vault ? this.#refreshUnderLock(vault, seq) : this.#refreshFrom(this.#tokens, seq);
    const pending = run.finally(() => {
      if (this.#pending === pending) this.#pending = undefined;
    });
    this.#pending = pending;
    return pending;
  }

  #refreshUnderLock(vault: SessionVault, seq: number): Promise<StoredTokens> {
    const { name, lockOptions } = this.#options;
    return vault.withLock(
      name,
      async () => {
        const stored = await vault.load(name);
        let base = this.#tokens;
        if (stored && Date.parse(stored.obtainedAt) >= Date.parse(base.obtainedAt)) {
          // The vault is the source of truth: another process may have rotated the refresh token.
          base = stored;
          if (isFresh(refreshWindows(stored, this.#options), this.#options.now())) {
            return this.#apply(stored, seq, 'vault');
          }
        }
        return this.#refreshFrom(base, seq);
      },
      lockOptions,
    );
  }

  async #refreshFrom(base: StoredTokens, seq: number): Promise<StoredTokens> {
    if (this.#relogin && this.#relogin.refreshToken === base.refreshToken) throw this.#relogin.error;
    const { now, clockSkewMs, vault, name } = this.#options;
    // Decided before anything is sent: a refresh token goes only to the server that issued it.
    const exchange = refreshOptionsFor(base, this.#options.exchange);
    const windows = refreshWindows(base, this.#options);
    const startedAt = now();
    if (refreshTokenExpired(windows, startedAt)) {
      throw this.#reloginRequired(
        new RefreshTokenExpiredError(`the refresh token expired at ${base.refreshTokenExpiresAt}; sign in again`),
        base,
      );
    }
    let fresh: AuthTokensResponse;
    try {
      fresh = await exchangeRefreshTokenForAuthTokens(base.refreshToken, exchange);
    } catch (err) {
      if (err instanceof ReloginRequiredError) {
        const error = refreshTokenExpired(windows, now(), clockSkewMs)
          ? new RefreshTokenExpiredError(`the refresh token expired (${err.error ?? 'refused'}); sign in again`, err, { cause: err })
          : err;
        throw this.#reloginRequired(error, base);
      }
      throw err;
    }
    const next = toStoredTokens(fresh, startedAt, exchange);
    const newer = vault ? await saveBeforeUse(vault, name, next) : null;
    if (newer) return this.#apply(newer, seq, 'vault');
    return this.#apply(next, seq, 'server', next.refreshToken !== base.refreshToken);
  }

  #reloginRequired(error: ReloginError, base: StoredTokens): ReloginError {
    this.#relogin = { error, refreshToken: base.refreshToken };
    this.emit('reloginRequired', error);
    return error;
  }

  /** Installs tokens unless newer ones were installed meanwhile; answers the tokens in use. */
  #apply(tokens: StoredTokens, seq: number, source?: 'server' | 'vault', rotated = false): StoredTokens {
    if (seq < this.#appliedSeq) return this.#tokens;
    this.#appliedSeq = seq;
    const changed = tokens.accessToken !== this.#tokens.accessToken || tokens.refreshToken !== this.#tokens.refreshToken;
    this.#install(tokens);
    if (source && changed) {
      this.#backgroundPausedUntil = 0;
      this.emit('refreshed', { tokens: { ...tokens }, source, rotated: source === 'server' ? rotated : false });
    }
    const now = this.#options.now();
    if (refreshTokenAboutToExpire(this.#windows, now)) this.#warnRefreshTokenExpiring(now);
    return this.#tokens;
  }

  #install(tokens: StoredTokens): void {
    const windows = refreshWindows(tokens, this.#options);
    // Tokens of another server than the options name are refused here, before any use.
    refreshOptionsFor(tokens, this.#options.exchange);
    if (this.#relogin && this.#relogin.refreshToken !== tokens.refreshToken) this.#relogin = undefined;
    this.#tokens = tokens;
    this.#windows = windows;
    this.#fastUntil = fastPathUntil(this.#windows, this.#warnedFor === this.#windows.refreshExpiresAt);
  }

  #warnRefreshTokenExpiring(now: number): void {
    const { refreshExpiresAt } = this.#windows;
    if (this.#warnedFor === refreshExpiresAt) return;
    this.#warnedFor = refreshExpiresAt;
    this.#fastUntil = fastPathUntil(this.#windows, this.#warnedFor === this.#windows.refreshExpiresAt);
    this.emit('refreshTokenExpiring', {
      refreshTokenExpiresAt: this.#tokens.refreshTokenExpiresAt,
      msLeft: Math.max(0, refreshExpiresAt - now),
    });
  }
}
