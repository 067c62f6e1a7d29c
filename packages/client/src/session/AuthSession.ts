/** `AuthSession`: holds tokens, refreshes them before they expire, one refresh at a time. */
import { EventEmitter } from 'node:events';
import {
  PersistError,
  RateLimitedError,
  RefreshTokenExpiredError,
  ReloginRequiredError,
} from '../errors.js';
import { exchangeAccessCodeForAuthTokens } from '../exchange/exchangeAccessCodeForAuthTokens.js';
import { exchangeNpssoForAccessCode } from '../exchange/exchangeNpssoForAccessCode.js';
import { exchangeRefreshTokenForAuthTokens } from '../exchange/exchangeRefreshTokenForAuthTokens.js';
import type { AuthorizationPayload, AuthTokensResponse } from '../exchange/types.js';
import type { StoredTokens } from '../vault/types.js';
import { isStoredTokens, toStoredTokens } from './toStoredTokens.js';
import type { AuthSessionEvents, AuthSessionOptions, FromNpssoOptions, SessionVault } from './types.js';

const DAY_MS = 86_400_000;

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
 *
 * @example
 * ```ts
 * const session = await AuthSession.fromVault(vault, 'bot', { baseUrl: 'https://keyturn.example' });
 * session.on('reloginRequired', () => notifyOwner('please sign in again'));
 * const profile = await getProfileFromUserName(await session.authorization(), 'me');
 * ```
 */
export class AuthSession extends EventEmitter<AuthSessionEvents> {
  readonly #options: AuthSessionOptions;
  readonly #now: () => number;
  readonly #vault: SessionVault | undefined;
  readonly #name: string;

  #tokens!: StoredTokens;
  #refreshExpiresAt = 0;
  /** Before this instant getAccessToken() takes the fast path. */
  #fastUntil = 0;
  #shouldAt = 0;
  #mustAt = 0;
  #warnAt = 0;
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
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#vault = options.vault;
    this.#name = options.name ?? '';
    if (this.#vault && !options.name) throw new TypeError('AuthSession: a vault needs a `name` for the entry');
    this.#install(isStoredTokens(tokens) ? { ...tokens } : toStoredTokens(tokens, this.#now()));
  }

  /**
   * Signs in with an NPSSO token (NPSSO → code → tokens), saves the tokens when a vault is
   * given, and returns the session.
   *
   * @example
   * ```ts
   * const session = await AuthSession.fromNpsso(process.env.NPSSO!, { vault, name: 'bot' });
   * ```
   */
  static async fromNpsso(npsso: string, options: FromNpssoOptions = {}): Promise<AuthSession> {
    const code = await exchangeNpssoForAccessCode(npsso, options);
    const startedAt = (options.now ?? Date.now)();
    const stored = toStoredTokens(await exchangeAccessCodeForAuthTokens(code, options), startedAt);
    const { vault, name } = options;
    if (vault) {
      if (!name) throw new TypeError('AuthSession.fromNpsso: a vault needs a `name` for the entry');
      try {
        await vault.withLock(name, async () => void (await vault.save(name, stored)), options.lockOptions);
      } catch (cause) {
        throw new PersistError('signed in, but the tokens could not be saved to the vault', {}, { cause });
      }
    }
    return new AuthSession(stored, options);
  }

  /**
   * Resumes the session saved in a vault under `name`; later refreshes are saved there too.
   * Throws `ReloginRequiredError` when nothing is stored under that name.
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
    const now = this.#now();
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
   * overwrite them.
   *
   * @example
   * ```ts
   * session.setTokens(await exchangeAccessCodeForAuthTokens(code));
   * ```
   */
  setTokens(tokens: AuthTokensResponse | StoredTokens): void {
    const stored = isStoredTokens(tokens) ? { ...tokens } : toStoredTokens(tokens, this.#now());
    this.#apply(stored, ++this.#seq);
  }

  async #slowPath(now: number): Promise<string> {
    if (now >= this.#warnAt) this.#warnRefreshTokenExpiring(now);
    if (now < this.#shouldAt) return this.#tokens.accessToken;
    if (now < this.#mustAt) {
      this.#refreshInBackground(now);
      return this.#tokens.accessToken;
    }
    return (await this.#refreshOnce()).accessToken;
  }

  #refreshInBackground(now: number): void {
    if (this.#pending || now < this.#backgroundPausedUntil) return;
    if (this.#relogin && !this.#vault) return;
    this.#refreshOnce().catch((err: unknown) => {
      const retryAfterMs = err instanceof RateLimitedError && err.retryAfter !== undefined ? err.retryAfter * 1000 : 0;
      this.#backgroundPausedUntil = this.#now() + Math.max(retryAfterMs, this.#options.backgroundRetryMs ?? 30_000);
      if (this.listenerCount('refreshFailed') > 0) this.emit('refreshFailed', err as Error);
    });
  }

  /** Single flight: every caller during a refresh gets the same promise. */
  #refreshOnce(): Promise<StoredTokens> {
    if (this.#pending) return this.#pending;
    const seq = ++this.#seq;
    const run = this.#vault ? this.#refreshUnderLock(this.#vault, seq) : this.#refreshFrom(this.#tokens, seq);
    const pending = run.finally(() => {
      if (this.#pending === pending) this.#pending = undefined;
    });
    this.#pending = pending;
    return pending;
  }

  #refreshUnderLock(vault: SessionVault, seq: number): Promise<StoredTokens> {
    return vault.withLock(
      this.#name,
      async () => {
        const stored = await vault.load(this.#name);
        let base = this.#tokens;
        if (stored && Date.parse(stored.obtainedAt) >= Date.parse(base.obtainedAt)) {
          // The vault is the source of truth: another process may have rotated the refresh token.
          base = stored;
          if (this.#now() < this.#thresholds(stored).shouldAt) {
            return this.#apply(stored, seq, 'vault');
          }
        }
        return this.#refreshFrom(base, seq);
      },
      this.#options.lockOptions,
    );
  }

  async #refreshFrom(base: StoredTokens, seq: number): Promise<StoredTokens> {
    if (this.#relogin && this.#relogin.refreshToken === base.refreshToken) throw this.#relogin.error;
    const startedAt = this.#now();
    if (startedAt >= Date.parse(base.refreshTokenExpiresAt)) {
      throw this.#reloginRequired(
        new RefreshTokenExpiredError(`the refresh token expired at ${base.refreshTokenExpiresAt}; sign in again`),
        base,
      );
    }
    let fresh: AuthTokensResponse;
    try {
      fresh = await exchangeRefreshTokenForAuthTokens(base.refreshToken, this.#options);
    } catch (err) {
      if (err instanceof ReloginRequiredError) {
        const expired = this.#now() + (this.#options.clockSkewMs ?? 10_000) >= Date.parse(base.refreshTokenExpiresAt);
        const error = expired
          ? new RefreshTokenExpiredError(`the refresh token expired (${err.error ?? 'refused'}); sign in again`, err, { cause: err })
          : err;
        throw this.#reloginRequired(error, base);
      }
      throw err;
    }
    const next = toStoredTokens(fresh, startedAt);
    if (this.#vault) {
      // Saved before use: a rotated refresh token that is not persisted must never be handed out.
      let saved: boolean | void;
      try {
        saved = await this.#vault.save(this.#name, next);
      } catch (cause) {
        throw new PersistError('refreshed, but the new tokens could not be saved to the vault; not using them', {}, { cause });
      }
      if (saved === false) {
        const stored = await this.#vault.load(this.#name);
        if (stored) return this.#apply(stored, seq, 'vault');
      }
    }
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
    if (this.#now() >= this.#warnAt) this.#warnRefreshTokenExpiring(this.#now());
    return this.#tokens;
  }

  #install(tokens: StoredTokens): void {
    const t = this.#thresholds(tokens);
    if ([t.accessExpiresAt, t.refreshExpiresAt, Date.parse(tokens.obtainedAt)].some(Number.isNaN)) {
      throw new TypeError('AuthSession: tokens carry an expiry or obtainedAt that is not an ISO date');
    }
    if (this.#relogin && this.#relogin.refreshToken !== tokens.refreshToken) this.#relogin = undefined;
    this.#tokens = tokens;
    this.#refreshExpiresAt = t.refreshExpiresAt;
    this.#shouldAt = t.shouldAt;
    this.#mustAt = t.mustAt;
    this.#warnAt = t.refreshExpiresAt - (this.#options.refreshTokenWarningDays ?? 7) * DAY_MS;
    this.#updateFastPath();
  }

  #updateFastPath(): void {
    const warned = this.#warnedFor === this.#refreshExpiresAt;
    this.#fastUntil = warned ? this.#shouldAt : Math.min(this.#shouldAt, this.#warnAt);
  }

  /**
   * Where the windows start for these tokens. A token whose whole lifetime is shorter than the
   * windows gets them scaled down (half / a quarter of its lifetime) so it is not refreshed on
   * every call.
   */
  #thresholds(tokens: StoredTokens) {
    const accessExpiresAt = Date.parse(tokens.accessTokenExpiresAt);
    const refreshExpiresAt = Date.parse(tokens.refreshTokenExpiresAt);
    const lifetime = Math.max(0, accessExpiresAt - Date.parse(tokens.obtainedAt));
    const should = Math.min(this.#options.refreshWindowMs ?? 300_000, lifetime / 2);
    const must = Math.min((this.#options.mustRefreshWindowMs ?? 30_000) + (this.#options.clockSkewMs ?? 10_000), lifetime / 4);
    return { accessExpiresAt, refreshExpiresAt, shouldAt: accessExpiresAt - Math.max(should, must), mustAt: accessExpiresAt - must };
  }

  #warnRefreshTokenExpiring(now: number): void {
    if (this.#warnedFor === this.#refreshExpiresAt) return;
    this.#warnedFor = this.#refreshExpiresAt;
    this.#updateFastPath();
    this.emit('refreshTokenExpiring', {
      refreshTokenExpiresAt: this.#tokens.refreshTokenExpiresAt,
      msLeft: Math.max(0, this.#refreshExpiresAt - now),
    });
  }
}
