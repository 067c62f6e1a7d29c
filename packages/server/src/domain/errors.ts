/**
 * Every failure the server's domain reports: one class per kind, each with a stable string
 * `code`, and the union of codes exported so that `switch (err.code)` narrows. The HTTP layer
 * and the CLI map codes to statuses, pages and exit codes; the domain holds no page text.
 */

/** RFC 6749 error codes (plus OpenID Connect's and RFC 6750's) that `OAuthError.error` can hold. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'login_required'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'unsupported_token_type'
  | 'temporarily_unavailable'
  | 'server_error'
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token';

/** How a client authenticated; `client_secret_basic` failures get a `WWW-Authenticate: Basic` challenge. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** Why an authorization request cannot be sent back to its client at all. */
export type AuthorizeRequestErrorCode = 'ERR_MISSING_CLIENT' | 'ERR_UNKNOWN_CLIENT' | 'ERR_MISSING_REDIRECT_URI' | 'ERR_UNREGISTERED_REDIRECT_URI';

export type ServerErrorCode =
  | 'ERR_OAUTH'
  | 'ERR_INVALID_CREDENTIALS'
  | 'ERR_TOO_MANY_ATTEMPTS'
  | 'ERR_ACCOUNT_DISABLED'
  | 'ERR_WRONG_PASSWORD'
  | 'ERR_WEAK_PASSWORD'
  | AuthorizeRequestErrorCode
  | 'ERR_DUPLICATE'
  | 'ERR_NOT_FOUND'
  | 'ERR_INVALID'
  | 'ERR_INVALID_SCOPE'
  | 'ERR_SECRET_TOO_SHORT'
  | 'ERR_KEY_ENVELOPE'
  | 'ERR_KEY_UNREADABLE'
  | 'ERR_NO_SIGNING_KEY'
  | 'ERR_UNKNOWN_USER_CODE';

/** The base of every domain error: a stable `code` to switch on, a message safe to show. */
export abstract class KeyturnError extends Error {
  abstract readonly code: ServerErrorCode;
}

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  invalid_scope: 400,
  access_denied: 403,
  login_required: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  unsupported_token_type: 400,
  temporarily_unavailable: 503,
  server_error: 500,
  // RFC 8628 3.5: the device's polling answers are token endpoint errors, 400 like the rest.
  authorization_pending: 400,
  slow_down: 400,
  expired_token: 400,
};

/** An RFC 6749 error answer: `error`, `error_description` and the HTTP status to answer with. */
export class OAuthError extends KeyturnError {
  readonly code = 'ERR_OAUTH';
  readonly status: number;
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    status?: number,
    /** Sent as `Retry-After` (seconds) with a 429 or 503. */
    readonly retryAfterSec?: number,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
    this.status = status ?? STATUS[error];
  }
}

/** `invalid_client` (401), remembering how the client tried, which decides the HTTP challenge (RFC 6749 5.2). */
export class ClientAuthError extends OAuthError {
  constructor(
    readonly method: ClientAuthMethod,
    description = 'client authentication failed',
  ) {
    super('invalid_client', description);
    this.name = 'ClientAuthError';
  }
}

const SIGN_IN_MESSAGES = {
  ERR_INVALID_CREDENTIALS: 'Wrong email or password.',
  ERR_TOO_MANY_ATTEMPTS: 'Too many failed sign-ins. Try again later.',
  // Said only after the right password: it would otherwise tell anyone that the email exists.
  ERR_ACCOUNT_DISABLED: 'This account is disabled. Ask the administrator of this service to enable it again.',
} as const;

/** Sign-in failures. The message is safe to show: it never says whether the email exists. */
export class SignInError extends KeyturnError {
  constructor(
    readonly code: keyof typeof SIGN_IN_MESSAGES,
    /** For ERR_TOO_MANY_ATTEMPTS: seconds until a new attempt is accepted. */
    readonly retryAfterSec = 0,
  ) {
    super(code === 'ERR_TOO_MANY_ATTEMPTS' ? `Too many failed sign-ins. Try again in ${waitFor(retryAfterSec)}.` : SIGN_IN_MESSAGES[code]);
    this.name = 'SignInError';
  }
}

/** `15 minutes`, `1 minute`, `30 seconds`: what Retry-After says, for a person. */
function waitFor(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** An authorization request that must not redirect back to the client (unknown client, unregistered redirect URI). */
export class AuthorizeRequestError extends KeyturnError {
  constructor(readonly code: AuthorizeRequestErrorCode) {
    super(code);
    this.name = 'AuthorizeRequestError';
  }
}

/** A management operation was refused (duplicate, not found, bad value). */
export class ManagementError extends KeyturnError {
  constructor(
    readonly code: 'ERR_DUPLICATE' | 'ERR_NOT_FOUND' | 'ERR_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'ManagementError';
  }
}

/** A scope string with characters RFC 6749 3.3 does not allow. */
export class ScopeError extends KeyturnError {
  readonly code = 'ERR_INVALID_SCOPE';
  constructor() {
    super('scope has characters RFC 6749 does not allow');
    this.name = 'ScopeError';
  }
}

/** The server secret or a signing key cannot be used: too short a secret, a damaged or foreign key envelope, no key. */
export class KeyError extends KeyturnError {
  constructor(
    readonly code: 'ERR_SECRET_TOO_SHORT' | 'ERR_KEY_ENVELOPE' | 'ERR_KEY_UNREADABLE' | 'ERR_NO_SIGNING_KEY',
    message: string,
  ) {
    super(message);
    this.name = 'KeyError';
  }
}

/** The /device page found no pending request for the code typed, or refuses after too many wrong codes (for the sign-in window). */
export class DeviceRequestError extends KeyturnError {
  constructor(readonly code: 'ERR_UNKNOWN_USER_CODE' | 'ERR_TOO_MANY_ATTEMPTS') {
    super(code === 'ERR_UNKNOWN_USER_CODE' ? 'no pending device request has this code' : 'too many wrong device codes');
    this.name = 'DeviceRequestError';
  }
}

/** Why a person's own password change was refused. */
export type PasswordChangeErrorCode = 'ERR_WRONG_PASSWORD' | 'ERR_WEAK_PASSWORD' | 'ERR_TOO_MANY_ATTEMPTS';

/** A person's own password change was refused; the message says why and is safe to show them. */
export class PasswordChangeError extends KeyturnError {
  override readonly name = 'PasswordChangeError';
  constructor(readonly code: PasswordChangeErrorCode, message: string) {
    super(message);
  }
}
