/**
 * Security events as log lines: the ones an operator must see (lockout, refresh-token reuse,
 * "Revoke all", key rotation, a token from another issuer) at warn, the rest at debug. Never an
 * email, a token or a secret: people are named by id, callers by address.
 */
import type { SecurityEvent, SecurityEventType } from '../domain/events.js';

/** The part of a pino/fastify logger this needs. */
export interface EventLogger {
  warn(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

/** What each warn-level event says. */
const WARN: Partial<Record<SecurityEventType, (e: SecurityEvent) => string>> = {
  lockout: (e) => `sign-ins locked for ${String(e.detail?.windowSec ?? '')} s after repeated failures`,
  refresh_reuse_detected: () => 'a spent refresh token was used again: its whole grant was revoked (possible theft)',
  revoke_all: () => 'a person revoked every app and signed out every other browser',
  key_rotated: (e) => `a new signing key ${String(e.detail?.kid)} is active`,
  signing_key_changed: (e) => `another process made signing key ${String(e.detail?.kid)} active; signing with it now`,
  foreign_issuer: (e) =>
    `refused an access token issued by ${String(e.detail?.issuer)}; this server's issuer is ${String(e.detail?.expected)}: servers sharing a database must run with the same --issuer`,
};

/** At most this many distinct foreign issuers are reported per process, each once. */
const MAX_ISSUERS_REPORTED = 16;

/**
 * A bus listener that writes each event to `log`.
 *
 * @example
 * ```ts
 * events.subscribe(logSecurityEvents(app.log));
 * ```
 */
export function logSecurityEvents(log: EventLogger): (event: SecurityEvent) => void {
  const issuersReported = new Set<string>();
  return (event) => {
    const { type, email: _email, detail, ...rest } = event;
    const fields = { event: type, ...rest, ...detail };
    const warn = WARN[type];
    if (warn === undefined) return log.debug(fields, type.replace(/_/g, ' '));
    if (type === 'foreign_issuer') {
      // One line per foreign issuer, not one per refused request.
      const issuer = String(detail?.issuer);
      if (issuersReported.has(issuer) || issuersReported.size >= MAX_ISSUERS_REPORTED) return;
      issuersReported.add(issuer);
    }
    log.warn(fields, warn(event));
  };
}
