/**
 * Every failure of the exchange functions and of `AuthSession`, as a class with a stable `code`.
 * `switch (err.code)` on a `KeyturnError` narrows to the class; messages never contain a token.
 */
import type { DeviceError, DeviceErrorCode } from './deviceErrors.js';
import type { TokenIssuer } from './vault/types.js';

/**
 * Every `code` a Keyturn client error can carry.
 *
 * @example
 * ```ts
 * const retryable: KeyturnErrorCode[] = ['ERR_RATE_LIMITED', 'ERR_SERVER', 'ERR_NETWORK', 'ERR_TIMEOUT'];
 * if (err instanceof KeyturnError && retryable.includes(err.code)) scheduleRetry();
 * ```
 */
export type KeyturnErrorCode =
  | 'ERR_INVALID_NPSSO'
  | 'ERR_REFRESH_TOKEN_EXPIRED'
  | 'ERR_RELOGIN_REQUIRED'
  | 'ERR_INVALID_CLIENT'
  | 'ERR_RATE_LIMITED'
  | 'ERR_SERVER'
  | 'ERR_NETWORK'
  | 'ERR_TIMEOUT'
  | 'ERR_INVALID_RESPONSE'
  | 'ERR_OAUTH'
  | 'ERR_PERSIST_FAILED'
  | 'ERR_ISSUER_MISMATCH'
  | DeviceErrorCode;

/**
 * The RFC 6749 error fields a server answered with, kept as they came.
 *
 * @example
 * ```ts
 * const { status, error, error_description }: OAuthErrorFields = err; // any KeyturnError
 * console.error(`HTTP ${status} ${error ?? ''}: ${error_description ?? err.message}`);
 * ```
 */
export interface OAuthErrorFields {
  /** HTTP status of the answer (0 when there was none). */
  status: number;
  /** RFC 6749 `error`, e.g. `invalid_grant`; `undefined` when the body had none. */
  error?: string | undefined;
  error_description?: string | undefined;
}

/**
 * Base class of every client error. Narrow with `err.code`.
 *
 * @example
 * ```ts
 * try { await session.getAccessToken(); }
 * catch (err) {
 *   if (err instanceof KeyturnError && err.code === 'ERR_RELOGIN_REQUIRED') askOwnerToSignIn();
 *   else throw err;
 * }
 * ```
 */
export abstract class KeyturnError extends Error {
  abstract readonly code: KeyturnErrorCode;
  /** HTTP status of the answer that caused this error, 0 when there was no answer. */
  readonly status: number;
  readonly error: string | undefined;
  readonly error_description: string | undefined;

  constructor(message: string, fields: Partial<OAuthErrorFields> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.status = fields.status ?? 0;
    this.error = fields.error;
    this.error_description = fields.error_description;
  }
}

/**
 * The NPSSO token was refused (expired, signed out, malformed): sign in again to get a new one.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidNpssoError) console.error('Get a new NPSSO from /api/v1/ssocookie');
 * ```
 */
export class InvalidNpssoError extends KeyturnError {
  readonly code = 'ERR_INVALID_NPSSO' as const;
}

/**
 * The refresh token's own expiry has passed: only a new sign-in helps.
 *
 * @example
 * ```ts
 * session.on('reloginRequired', (err) => { if (err.code === 'ERR_REFRESH_TOKEN_EXPIRED') notifyOwner(); });
 * ```
 */
export class RefreshTokenExpiredError extends KeyturnError {
  readonly code = 'ERR_REFRESH_TOKEN_EXPIRED' as const;
  /** Always true: the caller has to sign in again. */
  readonly reloginRequired = true as const;
}

/**
 * The server refused the refresh token (`invalid_grant`: revoked, rotated away, expired) or
 * nothing is stored to refresh with: only a new sign-in helps.
 *
 * @example
 * ```ts
 * if (err instanceof ReloginRequiredError) console.error(`sign in again (${err.error ?? 'no tokens'})`);
 * ```
 */
export class ReloginRequiredError extends KeyturnError {
  readonly code = 'ERR_RELOGIN_REQUIRED' as const;
  /** Always true: the caller has to sign in again. */
  readonly reloginRequired = true as const;
}

/**
 * The server did not accept the client credentials (`invalid_client`, `unauthorized_client`).
 *
 * @example
 * ```ts
 * if (err instanceof InvalidClientError) console.error('check --client-id / --client-secret');
 * ```
 */
export class InvalidClientError extends KeyturnError {
  readonly code = 'ERR_INVALID_CLIENT' as const;
}

/**
 * HTTP 429. `retryAfter` is the server's `Retry-After` in seconds (undefined when absent).
 *
 * @example
 * ```ts
 * if (err instanceof RateLimitedError) await sleep((err.retryAfter ?? 60) * 1000);
 * ```
 */
export class RateLimitedError extends KeyturnError {
  readonly code = 'ERR_RATE_LIMITED' as const;
  constructor(
    message: string,
    fields: Partial<OAuthErrorFields>,
    /** Seconds to wait before trying again, from `Retry-After`. */
    readonly retryAfter: number | undefined,
  ) {
    super(message, fields);
  }
}

/**
 * The server failed (HTTP 5xx). Retrying later may help.
 *
 * @example
 * ```ts
 * if (err instanceof ServerError && err.status === 503) retryLater();
 * ```
 */
export class ServerError extends KeyturnError {
  readonly code = 'ERR_SERVER' as const;
}

/**
 * No answer: DNS, connection refused, TLS, reset. The original error is `cause`.
 *
 * @example
 * ```ts
 * if (err instanceof NetworkError) console.error('offline?', err.cause);
 * ```
 */
export class NetworkError extends KeyturnError {
  readonly code = 'ERR_NETWORK' as const;
}

/**
 * No answer within `timeoutMs`.
 *
 * @example
 * ```ts
 * await exchangeRefreshTokenForAuthTokens(rt, { timeoutMs: 5_000 }).catch((e) => {
 *   if (e instanceof TimeoutError) retry();
 * });
 * ```
 */
export class TimeoutError extends KeyturnError {
  readonly code = 'ERR_TIMEOUT' as const;
}

/**
 * The server answered something that is not a usable answer (a 200 without `access_token`,
 * HTML instead of JSON, a redirect without a code). Never silently turned into `undefined`s.
 *
 * @example
 * ```ts
 * if (err instanceof InvalidResponseError) console.error(`unexpected answer (HTTP ${err.status})`);
 * ```
 */
export class InvalidResponseError extends KeyturnError {
  readonly code = 'ERR_INVALID_RESPONSE' as const;
}

/**
 * Any other RFC 6749 error answer (`invalid_request`, `invalid_scope`, `invalid_grant` on a
 * code exchange, …), with `error`, `error_description` and `status` kept.
 *
 * @example
 * ```ts
 * if (err instanceof OAuthError && err.error === 'invalid_grant') console.error('code used or expired');
 * ```
 */
export class OAuthError extends KeyturnError {
  readonly code = 'ERR_OAUTH' as const;
}

/**
 * New tokens could not be saved to the vault, so the session refused to hand them out
 * (fail closed: a rotated refresh token that was not persisted must not be relied on).
 *
 * @example
 * ```ts
 * if (err instanceof PersistError) console.error('token store unavailable', err.cause);
 * ```
 */
export class PersistError extends KeyturnError {
  readonly code = 'ERR_PERSIST_FAILED' as const;
}

/**
 * The options name another server or client than the one the tokens were issued by: the
 * refresh token is not sent anywhere. Leave `baseUrl` / `clientId` out to use the stored ones,
 * or sign in again against the other server.
 *
 * @example
 * ```ts
 * const session = await AuthSession.fromVault(vault, 'bot', keyturnServer(url, { clientId })).catch((err) => {
 *   if (err instanceof IssuerMismatchError) console.error(`stored tokens belong to ${err.issuedBy.tokenEndpoint}`);
 *   throw err;
 * });
 * ```
 */
export class IssuerMismatchError extends KeyturnError {
  readonly code = 'ERR_ISSUER_MISMATCH' as const;
  constructor(
    /** Where the tokens came from: the only place their refresh token goes. */
    readonly issuedBy: TokenIssuer,
    /** What the options named instead. */
    readonly requested: TokenIssuer,
  ) {
    const server = issuedBy.tokenEndpoint === requested.tokenEndpoint ? '' : ` at ${requested.tokenEndpoint}`;
    const client = issuedBy.clientId === requested.clientId ? '' : ` as client "${requested.clientId}"`;
    super(
      `these tokens were issued by ${issuedBy.tokenEndpoint} to client "${issuedBy.clientId}"; refusing to refresh them${server}${client}. ` +
        'Leave baseUrl and clientId out of the options to use the stored ones, or sign in again against the other server',
    );
  }
}

/**
 * Every concrete error class, so `switch (err.code)` narrows.
 *
 * @example
 * ```ts
 * function advice(err: KeyturnClientError): string {
 *   switch (err.code) {
 *     case 'ERR_RATE_LIMITED': return `retry in ${err.retryAfter ?? 60} s`;
 *     case 'ERR_RELOGIN_REQUIRED': return 'sign in again';
 *     default: return err.message;
 *   }
 * }
 * ```
 */
export type KeyturnClientError =
  | InvalidNpssoError
  | RefreshTokenExpiredError
  | ReloginRequiredError
  | InvalidClientError
  | RateLimitedError
  | ServerError
  | NetworkError
  | TimeoutError
  | InvalidResponseError
  | OAuthError
  | PersistError
  | IssuerMismatchError
  | DeviceError;

/**
 * True for the errors only a new sign-in fixes (`ERR_RELOGIN_REQUIRED`, `ERR_REFRESH_TOKEN_EXPIRED`,
 * `ERR_INVALID_NPSSO`).
 *
 * @example
 * ```ts
 * if (isReloginRequired(err)) await notifyOwner('Keyturn: please sign in again');
 * ```
 */
export function isReloginRequired(err: unknown): err is ReloginRequiredError | RefreshTokenExpiredError | InvalidNpssoError {
  return (
    err instanceof ReloginRequiredError || err instanceof RefreshTokenExpiredError || err instanceof InvalidNpssoError
  );
}
