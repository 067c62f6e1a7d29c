/** Housekeeping keeps the audit trail for `auditRetentionDays` and deletes older events. */
import { describe, expect, it } from 'vitest';
import { DAY } from '../test-support/clock.js';
import { useDomainContext } from '../test-support/domain.js';
import { collectGarbage } from './housekeeping.js';

describe('collectGarbage and the audit trail', () => {
  const t = useDomainContext({ config: { auditRetentionDays: 30 } });

  it('deletes audit events older than the retention, in bounded batches, and keeps the younger ones', async () => {
    // user.added and client.added happened at the start; three more a day later.
    t.clock.advance(DAY);
    for (const detail of ['k1', 'k2', 'k3']) await t.kt.events.emit({ type: 'key.rotated', actor: 'operator', detail });
    t.clock.advance(29 * DAY + 1);
    expect(await collectGarbage(t.kt, { batchSize: 1, maxBatches: 1 })).toEqual({ deleted: 1, batches: 1, complete: false });
    expect(await collectGarbage(t.kt, { batchSize: 1 })).toMatchObject({ deleted: 1, complete: true });
    expect((await t.kt.repo.listAuditEvents({})).map((e) => e.detail)).toEqual(['k1', 'k2', 'k3']);
    t.clock.advance(DAY);
    await collectGarbage(t.kt);
    expect(await t.kt.repo.listAuditEvents({})).toEqual([]);
  });
});
