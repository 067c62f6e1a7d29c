/** Key rotation as security events: `key.rotated` where it is done, `signing_key.changed` where another process notices it, once. */
import { describe, expect, it } from 'vitest';
import { useDomainContext } from '../test-support/domain.js';
import { KeyRing } from './keys.js';
import { rotateSigningKey } from './rotateSigningKey.js';
import type { SecurityEvent } from './securityEvents.js';

describe('key rotation events', () => {
  const t = useDomainContext();

  it('reports key.rotated in the rotating process and signing_key.changed once in another that reloads', async () => {
    const events = { here: [] as SecurityEvent[], there: [] as SecurityEvent[] };
    const collect = (into: SecurityEvent[]) => ({ emit: async (e: SecurityEvent) => void into.push(e) });
    const ring = (into: SecurityEvent[]) => new KeyRing(t.kt.repo, t.kt.secrets.keyEncryption, 'ES256', t.kt.now, 0, collect(into));
    const here = ring(events.here);
    const there = ring(events.there);
    await there.reload();
    const before = there.loadedActiveKid();
    expect(before).not.toBeNull();
    expect(events.there).toEqual([]);

    const rotated = await rotateSigningKey({ ...t.kt, keys: here, events: collect(events.here) });
    expect(events.here).toEqual([{ type: 'key.rotated', actor: 'operator', detail: `${rotated.kid} (ES256)`, data: { kid: rotated.kid, alg: 'ES256', previous: before } }]);

    await there.reload();
    await there.reload();
    expect(there.loadedActiveKid()).toBe(rotated.kid);
    expect(events.there).toEqual([{ type: 'signing_key.changed', data: { kid: rotated.kid, previous: before } }]);
  });
});
