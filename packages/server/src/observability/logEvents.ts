/**
 * Security events as log lines: the ones an operator must see (lockout, refresh-token reuse,
 * "Revoke all", key rotation, a token from another issuer) at warn, the rest at debug. Never an
 * email, a token or a secret: people are named by id, callers by address.
 */
import type { SecurityEvent, SecurityEventType } from '../domain/securityEvents.js';

/** The part of a pino/fastify logger this needs. */
export interface EventLogger {
  warn(fields: object, message: string): void;
  debug(fields: object, message: string): void;
  /** pino's level check: debug lines are not built at all when they would not be written. */
  isLevelEnabled?(level: string): boolean;
}

/** What each warn-level event says. */
const WARN: Partial<Record<SecurityEventType, (e: SecurityEvent) => string>> = {
  'signin.locked': (e) => `sign-ins locked for ${String(e.data?.windowSec ?? '')} s after repeated failures`,
  'refresh.reuse_detected': () => 'a spent refresh token was used again: its whole grant was revoked (possible theft)',
  'sessions.revoked': () => 'a person revoked every app and signed out every other browser',
  'key.rotated': (e) => `a new signing key ${String(e.data?.kid)} is active`,
  'signing_key.changed': (e) => `another process made signing key ${String(e.data?.kid)} active; signing with it now`,
  'token.foreign_issuer': (e) =>
    `refused an access token issued by ${String(e.data?.issuer)}; this server's issuer is ${String(e.data?.expected)}: servers sharing a database must run with the same --issuer`,
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
    const warn = WARN[event.type];
    // Every token answer is an event: at info level its debug line costs nothing.
    if (warn === undefined && log.isLevelEnabled?.('debug') === false) return;
    const { type, email: _email, data, ...rest } = event;
    const fields = { event: type, ...rest, ...data };
    if (warn === undefined) return log.debug(fields, type.replace(/[._]/g, ' '));
    if (type === 'token.foreign_issuer') {
      // One line per foreign issuer, not one per refused request.
      const issuer = String(data?.issuer);
      if (issuersReported.has(issuer) || issuersReported.size >= MAX_ISSUERS_REPORTED) return;
      issuersReported.add(issuer);
    }
    log.warn(fields, warn(event));
  };
}
