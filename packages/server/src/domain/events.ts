/**
 * The stream of security events the domain reports (sign-in failures, lockouts, grants,
 * refresh-token reuse, …). The domain only emits; what listens (metrics, log lines, the audit
 * trail) is wired at the edge, so the domain never knows about Prometheus, pino or a table.
 */

/** What happened. Names are stable: metrics, log lines and stored audit rows key on them. */
export type SecurityEventType =
  /** A sign-in with the right password (a new SSO session). */
  | 'sign_in_ok'
  /** A sign-in refused: `outcome` is `invalid_credentials` or `locked` (refused without checking). */
  | 'sign_in_failed'
  /** The failure that reached the sign-in limit: the account or address is locked for the window. */
  | 'lockout'
  /** Tokens issued at the token endpoint (`grantType`, `clientId`, `userId`). */
  | 'grant_issued'
  /** The token endpoint refused a grant; `outcome` is the RFC 6749 error code. */
  | 'grant_refused'
  /** A spent rotating refresh token was presented again: its whole grant was revoked. */
  | 'refresh_reuse_detected'
  /** A client failed to authenticate (wrong secret, unknown client); `clientId` only when the client exists. */
  | 'client_auth_failed'
  /** A person ended every grant and every other browser of theirs ("Revoke all"). */
  | 'revoke_all'
  /** This process made a new signing key active (`detail.kid`). */
  | 'key_rotated'
  /** A serving process noticed that another one made a new signing key active. */
  | 'signing_key_changed'
  /** A correctly signed access token named another issuer: two servers on one database disagree on `--issuer`. */
  | 'foreign_issuer';

/** One event. Never a token, a password, a cookie or a secret; `email` only where a person is named. */
export interface SecurityEvent {
  type: SecurityEventType;
  userId?: string | undefined;
  email?: string | undefined;
  clientId?: string | undefined;
  /** The caller's address, as the rate limits see it. */
  address?: string | undefined;
  /** Who acted when it was not the subject (an operator, a client). */
  actor?: string | undefined;
  /** Short machine-readable result: `ok`, an RFC 6749 error code, a reason. */
  outcome?: string | undefined;
  grantType?: string | undefined;
  detail?: Record<string, string | number | boolean | null> | undefined;
}

/** Where the domain reports security events. `emit` never throws and never waits. */
export interface SecurityEvents {
  emit(event: SecurityEvent): void;
}
