/** Errors of the domain. `OAuthError` carries an RFC 6749 error code and the HTTP status to answer with. */

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
  | 'server_error';

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
};

export class OAuthError extends Error {
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

/** Sign-in failures. The message is safe to show: it never says whether the email exists. */
export class SignInError extends Error {
  constructor(
    readonly code: 'ERR_INVALID_CREDENTIALS' | 'ERR_TOO_MANY_ATTEMPTS',
    /** For ERR_TOO_MANY_ATTEMPTS: seconds until a new attempt is accepted. */
    readonly retryAfterSec = 0,
  ) {
    super(code === 'ERR_INVALID_CREDENTIALS' ? 'Wrong email or password.' : 'Too many failed sign-ins. Try again later.');
    this.name = 'SignInError';
  }
}

/** A request that must not redirect back to the client (unknown client, unregistered redirect URI). */
export class AuthorizePageError extends Error {
  constructor(readonly title: string, readonly detail: string) {
    super(`${title}: ${detail}`);
    this.name = 'AuthorizePageError';
  }
}

/** A management operation was refused (duplicate, not found, bad value). */
export class ManagementError extends Error {
  constructor(readonly code: 'ERR_DUPLICATE' | 'ERR_NOT_FOUND' | 'ERR_INVALID', message: string) {
    super(message);
    this.name = 'ManagementError';
  }
}
