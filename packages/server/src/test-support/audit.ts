/** Reading the audit trail in tests: the events a flow left, in order, as short comparable rows. */
import type { Keyturn } from '../domain/context.js';
import type { AuditEventFilter } from '../storage/records.js';

/** One audit event as the tests compare it: what, whose (email), which client, who did it. */
export interface SeenEvent {
  type: string;
  email: string | null;
  clientId: string | null;
  actor: string | null;
}

/**
 * The audit events `filter` selects, oldest first, as `SeenEvent` rows.
 *
 * @example
 * ```ts
 * expect(await auditEvents(kt, { since: start })).toEqual([{ type: 'signin.succeeded', email, clientId: null, actor: 'person' }]);
 * ```
 */
export async function auditEvents(kt: Keyturn, filter: AuditEventFilter = {}): Promise<SeenEvent[]> {
  const events = await kt.repo.listAuditEvents(filter);
  return events.map((e) => ({ type: e.type, email: e.email, clientId: e.clientId, actor: e.actor }));
}

/**
 * Only the types of the audit events `filter` selects, oldest first.
 *
 * @example
 * ```ts
 * expect(await auditTypes(kt, { userId })).toEqual(['user.added', 'signin.succeeded']);
 * ```
 */
export async function auditTypes(kt: Keyturn, filter: AuditEventFilter = {}): Promise<string[]> {
  return (await kt.repo.listAuditEvents(filter)).map((e) => e.type);
}
