/** The audit trail: security events stored in the database, the sink `kt.events` writes to. */
import type { AuditEventRecord } from '../../storage/records.js';
import type { Repository } from '../../storage/repository.js';
import { randomToken } from '../lib/crypto.js';
import { UNAUDITED, type SecurityEvent, type SecurityEvents } from '../securityEvents.js';

/** Longest stored value of each text field: an event must not become a way to fill the disk. */
const MAX = { email: 254, clientId: 128, address: 64, detail: 200 } as const;

/** Text fit to store: no NUL (PostgreSQL refuses it), bounded, or null. */
function clip(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined || value === '') return null;
  return value.replaceAll('\0', '').slice(0, max);
}

/**
 * A `SecurityEvents` that appends every event to the audit trail of `repo`, stamped with
 * `now()`, with the person's email looked up when the event names only their id (so the
 * trail still names them after they are removed). Ids sort as events happened: the time, then this process's sequence number (events
 * of one millisecond keep their order), then a random part (so processes never collide).
 *
 * @example
 * ```ts
 * const events = auditTrail(repo, Date.now);
 * await events.emit({ type: 'user.disabled', userId: user.id, email: user.email, actor: 'operator' });
 * ```
 */
export function auditTrail(repo: Repository, now: () => number): SecurityEvents {
  let sequence = 0;
  return {
    async emit(event: SecurityEvent) {
      if (UNAUDITED.has(event.type)) return;
      // Id and time before any await: they fix the order in which events were emitted.
      const time = now();
      sequence = (sequence + 1) % 1e9;
      const id = `${String(time).padStart(15, '0')}-${String(sequence).padStart(9, '0')}-${randomToken(6)}`;
      const email = event.email ?? (event.userId ? (await repo.findUserById(event.userId))?.email : null);
      const record: AuditEventRecord = {
        id,
        time,
        type: event.type,
        userId: event.userId ?? null,
        email: clip(email?.trim().toLowerCase(), MAX.email),
        clientId: clip(event.clientId, MAX.clientId),
        address: clip(event.address, MAX.address),
        actor: event.actor ?? null,
        detail: clip(event.detail, MAX.detail),
      };
      await repo.appendAuditEvent(record);
    },
  };
}
