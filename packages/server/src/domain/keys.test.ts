/** Key rotation as security events: `key_rotated` where it is done, `signing_key_changed` where another process notices it, once. */
import { describe, expect, it } from 'vitest';
import { useDomainContext } from '../test-support/domain.js';
import type { SecurityEvent } from './events.js';
import { KeyRing } from './keys.js';

describe('key rotation events', () => {
  const t = useDomainContext();

  it('reports key_rotated in the rotating process and signing_key_changed once in another that reloads', async () => {
    const events = { here: [] as SecurityEvent[], there: [] as SecurityEvent[] };
    const ring = (into: SecurityEvent[]) => new KeyRing(t.kt.repo, t.kt.secrets.keyEncryption, 'ES256', t.kt.now, 0, { emit: (e) => void into.push(e) });
    const here = ring(events.here);
    const there = ring(events.there);
    await there.reload();
    const before = there.loadedActiveKid();
    expect(before).not.toBeNull();
    expect(events.there).toEqual([]);

    const rotated = await here.rotate();
    expect(events.here).toEqual([{ type: 'key_rotated', detail: { kid: rotated.kid, alg: 'ES256', previous: before } }]);

    await there.reload();
    await there.reload();
    expect(there.loadedActiveKid()).toBe(rotated.kid);
    expect(events.there).toEqual([{ type: 'signing_key_changed', detail: { kid: rotated.kid, previous: before } }]);
  });
});
