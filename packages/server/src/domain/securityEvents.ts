/**
 * Security events: what the domain reports as it happens (sign-ins, grants, revocations,
 * changes to people, clients and keys). One stream, `kt.events`; the composition root decides
 * where events go (the audit trail in the database, and whatever else listens).
 */

/** Every kind of security event. */
export type SecurityEventType =
  | 'signin.succeeded'
  | 'signin.failed'
  /** The failed attempt that locked an account or address out for the window. */
  | 'signin.locked'
  /** The right password for a disabled account. */
  | 'signin.disabled'
  | 'signout'
  | 'grant.issued'
  | 'refresh.reuse_detected'
  /** One grant ended: by the client (RFC 7009) or by the person on the account page. */
  | 'grant.revoked'
  /** An access token revoked by its client (RFC 7009). */
  | 'access_token.revoked'
  /** Every grant and browser of a person ended at once (revoke all, disable, new password). */
  | 'sessions.revoked'
  /** The person signed out one of their other browsers. */
  | 'browser.signed_out'
  | 'password.changed'
  | 'user.added'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.removed'
  | 'client.added'
  | 'client.removed'
  | 'key.rotated'
  | 'key.pruned'
  // Reported for metrics and log lines, never stored in the audit trail (AUDITED leaves them out):
  /** A sign-in refused unchecked while the account or address is locked (a flood must not fill the trail). */
  | 'signin.refused'
  /** The token endpoint answered with tokens (`grantType`, `outcome: 'ok'`); every grant type, refreshes too. */
  | 'tokens.issued'
  /** The token endpoint refused; `outcome` is the RFC 6749 error code. */
  | 'grant.refused'
  /** A client failed to authenticate; `clientId` only when such a client exists. */
  | 'client.auth_failed'
  /** A serving process noticed that another one made a new signing key active (`data.kid`). */
  | 'signing_key.changed'
  /** A correctly signed access token named another issuer (`data.issuer`, `data.expected`). */
  | 'token.foreign_issuer';

/** The types that are observations, not audit records: counted and logged, never stored. */
export const UNAUDITED: ReadonlySet<SecurityEventType> = new Set<SecurityEventType>([
  'signin.refused',
  'tokens.issued',
  'grant.refused',
  'client.auth_failed',
  'signing_key.changed',
  'token.foreign_issuer',
]);

/** Who caused an event: the person themselves, a client, the operator (the `keyturn` command), or the server on its own. */
export type SecurityActor = 'person' | 'client' | 'operator' | 'system';

/** One security event. Never carries a secret: no password, token, code or hash of one. */
export interface SecurityEvent {
  type: SecurityEventType;
  /** The person it concerns. */
  userId?: string | null | undefined;
  /** Their email (or, for a failed sign-in, the email typed). */
  email?: string | null | undefined;
  clientId?: string | null | undefined;
  /** The address the request came from. */
  address?: string | null | undefined;
  actor?: SecurityActor | undefined;
  /** A short note: a reason, a key id, a count. */
  detail?: string | null | undefined;
  /** Short machine-readable result for metrics: `ok`, an RFC 6749 error code, a reason. Not stored. */
  outcome?: string | undefined;
  /** The grant type at the token endpoint. Not stored. */
  grantType?: string | undefined;
  /** Fields for log lines (a kid, a window, issuers). Not stored. */
  data?: Record<string, string | number | boolean | null> | undefined;
}

/** Where the domain sends security events. */
export interface SecurityEvents {
  /**
   * Records `event`. The domain awaits it, so an event is stored before the answer that
   * reports the action goes out.
   */
  emit(event: SecurityEvent): Promise<void>;
}
