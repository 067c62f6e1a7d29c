/** Conformance of the `Repository` audit trail methods (`audit_events`), run against SQLite and the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import { DuplicateError } from '../errors.js';
import { HOUR, T0, auditEvent, seed } from '../test-support/records.js';

forEachBackend('Repository', (ctx) => {
  describe('audit events', () => {
    const events = [
      auditEvent({ id: 'a', time: T0, type: 'signin.failed' }),
      auditEvent({ id: 'b', time: T0 + 1, type: 'signin.succeeded', detail: 'ok' }),
      auditEvent({ id: 'c', time: T0 + HOUR, type: 'grant.issued', clientId: 'app', actor: 'client' }),
      auditEvent({ id: 'd', time: T0 + 2 * HOUR, type: 'signin.failed', userId: null, email: 'nobody@example.com', address: null, actor: null }),
    ];
    const append = async () => {
      // Out of order on purpose: listing sorts by id.
      for (const e of [events[2]!, events[0]!, events[3]!, events[1]!]) await ctx.repo.appendAuditEvent(e);
    };

    it('stores every field as it is and lists events oldest first by id', async () => {
      await append();
      expect(await ctx.repo.listAuditEvents({})).toEqual(events);
    });

    it('lists the newest first with a limit', async () => {
      await append();
      expect((await ctx.repo.listAuditEvents({ newestFirst: true, limit: 2 })).map((e) => e.id)).toEqual(['d', 'c']);
      expect((await ctx.repo.listAuditEvents({ limit: 1 })).map((e) => e.id)).toEqual(['a']);
    });

    it('narrows by person id, email, client and time, each and together', async () => {
      await append();
      const ids = async (filter: Parameters<typeof ctx.repo.listAuditEvents>[0]) => (await ctx.repo.listAuditEvents(filter)).map((e) => e.id);
      expect(await ids({ userId: 'u1' })).toEqual(['a', 'b', 'c']);
      expect(await ids({ email: 'nobody@example.com' })).toEqual(['d']);
      expect(await ids({ clientId: 'app' })).toEqual(['c']);
      expect(await ids({ since: T0 + 1 })).toEqual(['b', 'c', 'd']);
      expect(await ids({ userId: 'u1', since: T0 + 2 })).toEqual(['c']);
      expect(await ids({ clientId: 'other' })).toEqual([]);
    });

    it('keeps the events of a person who is removed', async () => {
      await seed(ctx.repo);
      await append();
      await ctx.repo.deleteUser('u1');
      expect((await ctx.repo.listAuditEvents({ userId: 'u1' })).map((e) => e.id)).toEqual(['a', 'b', 'c']);
    });

    it('refuses a second event with the same id', async () => {
      await ctx.repo.appendAuditEvent(events[0]!);
      await expect(ctx.repo.appendAuditEvent({ ...events[1]!, id: 'a' })).rejects.toBeInstanceOf(DuplicateError);
    });

    it('deletes events older than a time, in bounded batches', async () => {
      await append();
      expect(await ctx.repo.deleteAuditEventsBefore(T0 + HOUR, 1)).toBe(1);
      expect(await ctx.repo.deleteAuditEventsBefore(T0 + HOUR, 10)).toBe(1);
      expect(await ctx.repo.deleteAuditEventsBefore(T0 + HOUR, 10)).toBe(0);
      expect((await ctx.repo.listAuditEvents({})).map((e) => e.id)).toEqual(['c', 'd']);
      await expect(ctx.repo.deleteAuditEventsBefore(T0, 0)).rejects.toThrow(RangeError);
    });
  });
});
