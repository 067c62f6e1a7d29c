/** The `audit_events` table group of the kysely `Repository`: appending, listing and expiring security events. */
import type { Kysely } from 'kysely';
import { CorruptRowError } from '../errors.js';
import type { AuditEventRecord } from '../records.js';
import type { Repository } from '../repository.js';
import { deleteBatch } from './lib/deleteBatch.js';
import { insertUnique } from './lib/insertUnique.js';
import type { AuditEventsTable, Database } from './schema.js';

export type AuditEventsStore = Pick<Repository, 'appendAuditEvent' | 'listAuditEvents' | 'deleteAuditEventsBefore'>;

function rowToAuditEvent(r: AuditEventsTable): AuditEventRecord {
  const time = typeof r.time === 'number' ? r.time : Number(r.time);
  if (!Number.isSafeInteger(time)) throw new CorruptRowError('audit_events', 'time');
  return {
    id: r.id,
    time,
    type: r.type,
    userId: r.user_id,
    email: r.email,
    clientId: r.client_id,
    address: r.address,
    actor: r.actor,
    detail: r.detail,
  };
}

/**
 * The audit methods of `Repository` over `db`.
 *
 * @example
 * ```ts
 * const recent = await auditEventsStore(db).listAuditEvents({ userId, newestFirst: true, limit: 10 });
 * ```
 */
export function auditEventsStore(db: Kysely<Database>): AuditEventsStore {
  return {
    async appendAuditEvent(e) {
      const row: AuditEventsTable = {
        id: e.id,
        time: e.time,
        type: e.type,
        user_id: e.userId,
        email: e.email,
        client_id: e.clientId,
        address: e.address,
        actor: e.actor,
        detail: e.detail,
      };
      await insertUnique(db.insertInto('audit_events').values(row), 'An audit event with this id');
    },

    async listAuditEvents(filter) {
      let query = db.selectFrom('audit_events').selectAll();
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      if (filter.email !== undefined) query = query.where('email', '=', filter.email);
      if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId);
      if (filter.since !== undefined) query = query.where('time', '>=', filter.since);
      query = query.orderBy('id', filter.newestFirst ? 'desc' : 'asc');
      if (filter.limit !== undefined) query = query.limit(filter.limit);
      return (await query.execute()).map(rowToAuditEvent);
    },

    async deleteAuditEventsBefore(before, batchSize) {
      if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
      return deleteBatch(db, 'audit_events', 'id', db.selectFrom('audit_events').select('id').where('time', '<', before), batchSize);
    },
  };
}
