/** The audit trail sink: the order of events, the person's email filled in, and bounded, storable text. */
import { describe, expect, it } from 'vitest';
import { useDomainContext } from '../../test-support/domain.js';
import { auditTrail } from './auditTrail.js';

describe('auditTrail', () => {
  const t = useDomainContext();

  it('keeps the order in which events were emitted, even within one millisecond and when emitted concurrently', async () => {
    t.clock.advance(1);
    const since = t.kt.now();
    const events = auditTrail(t.kt.repo, t.kt.now);
    // The first one looks the email up (an await) before it stores; it must still come first.
    await Promise.all([
      events.emit({ type: 'user.disabled', userId: t.person.user.id }),
      events.emit({ type: 'user.enabled', email: 'x@example.com' }),
      events.emit({ type: 'key.rotated', detail: 'k2' }),
    ]);
    const stored = await t.kt.repo.listAuditEvents({ since });
    expect(stored.map((e) => [e.type, e.time])).toEqual([
      ['user.disabled', since],
      ['user.enabled', since],
      ['key.rotated', since],
    ]);
  });

  it("fills in the person's email from their id, lower-cases emails, and stores no NUL and no endless text", async () => {
    t.clock.advance(1);
    const since = t.kt.now();
    const events = auditTrail(t.kt.repo, t.kt.now);
    await events.emit({ type: 'grant.revoked', userId: t.person.user.id, clientId: t.client.id });
    await events.emit({ type: 'signin.failed', email: ` ${'A'.repeat(300)}\0@Example.com`, address: '2001:db8::1'.padEnd(100, '0'), detail: 'd'.repeat(500), actor: 'person' });
    const [revoked, failed] = await t.kt.repo.listAuditEvents({ since });
    expect(revoked).toMatchObject({ email: t.person.email, userId: t.person.user.id, clientId: t.client.id, address: null, actor: null, detail: null });
    expect(failed).toMatchObject({ userId: null, email: 'a'.repeat(254), actor: 'person' });
    expect(failed?.address).toHaveLength(64);
    expect(failed?.detail).toHaveLength(200);
  });
});
