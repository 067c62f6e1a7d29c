/** Conformance of the `Repository` device code methods (`device_codes`, RFC 8628), run against SQLite and the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import { DuplicateError } from '../errors.js';
import type { DeviceDecision } from '../records.js';
import { T0, hash, client, deviceCode, seed } from '../test-support/records.js';

const APPROVE: DeviceDecision = { status: 'approved', userId: 'u1', ssoSessionId: 's1', authTime: T0 - 5_000 };
const DENY: DeviceDecision = { ...APPROVE, status: 'denied' };

forEachBackend('Repository', (ctx) => {
  describe('device codes', () => {
    it('stores a device request as it is and finds it by device code and, while pending, by user code', async () => {
      await seed(ctx.repo);
      await ctx.repo.createDeviceCode(deviceCode());
      expect(await ctx.repo.findDeviceCode(hash('dc1'))).toEqual(deviceCode());
      expect(await ctx.repo.findPendingDeviceCode(hash('dev-user1'), T0 + 1)).toEqual(deviceCode());
      expect(await ctx.repo.findDeviceCode(hash('nope'))).toBeNull();
      expect(await ctx.repo.findPendingDeviceCode(hash('nope'), T0)).toBeNull();
    });

    it('no longer finds a request by user code once it expired (one ending exactly now has ended) or was decided', async () => {
      await seed(ctx.repo);
      await ctx.repo.createDeviceCode(deviceCode());
      expect(await ctx.repo.findPendingDeviceCode(hash('dev-user1'), T0 + 600_000)).toBeNull();
      expect(await ctx.repo.decideDeviceCode(hash('dc1'), DENY, T0 + 1)).toBe(true);
      expect(await ctx.repo.findPendingDeviceCode(hash('dev-user1'), T0 + 2)).toBeNull();
    });

    it('refuses a second request with the same user code with a DuplicateError', async () => {
      await seed(ctx.repo);
      await ctx.repo.createDeviceCode(deviceCode());
      const err = await ctx.repo.createDeviceCode(deviceCode({ deviceCodeHash: hash('dc2') })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DuplicateError);
      expect(await ctx.repo.findDeviceCode(hash('dc2'))).toBeNull();
    });

    it('records one decision on a pending request, with who, from which session and when, and refuses a second', async () => {
      await seed(ctx.repo);
      await ctx.repo.createDeviceCode(deviceCode());
      expect(await ctx.repo.decideDeviceCode(hash('dc1'), APPROVE, T0 + 10)).toBe(true);
      expect(await ctx.repo.decideDeviceCode(hash('dc1'), DENY, T0 + 20)).toBe(false);
      expect(await ctx.repo.findDeviceCode(hash('dc1'))).toEqual(
        deviceCode({ status: 'approved', userId: 'u1', ssoSessionId: 's1', authTime: T0 - 5_000, decidedAt: T0 + 10 }),
      );
    });

    it('refuses a decision on an expired request', async () => {
      await seed(ctx.repo);
      await ctx.repo.createDeviceCode(deviceCode());
      expect(await ctx.repo.decideDeviceCode(hash('dc1'), APPROVE, T0 + 600_000)).toBe(false);
      expect((await ctx.repo.findDeviceCode(hash('dc1')))?.status).toBe('pending');
    });

    it('lets exactly one of concurrent approvals and denials decide, across two repositories', async () => {
      await seed(ctx.repo);
      await ctx.repo.createDeviceCode(deviceCode());
      const other = await ctx.openAnother();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? ctx.repo : other).decideDeviceCode(hash('dc1'), i % 3 === 0 ? DENY : APPROVE, T0 + 1)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('records a poll only when nobody else recorded one since it read the request (compare and set)', async () => {
      await seed(ctx.repo);
      await ctx.repo.createDeviceCode(deviceCode());
      expect(await ctx.repo.recordDevicePoll(hash('dc1'), null, T0 + 1_000, 5)).toBe(true);
      expect(await ctx.repo.recordDevicePoll(hash('dc1'), null, T0 + 2_000, 10)).toBe(false);
      expect(await ctx.repo.recordDevicePoll(hash('dc1'), T0 + 1_000, T0 + 2_000, 10)).toBe(true);
      expect(await ctx.repo.findDeviceCode(hash('dc1'))).toMatchObject({ lastPolledAt: T0 + 2_000, intervalSec: 10, status: 'pending' });
    });

    it('consumes only an approved request, once, returning it as consumed', async () => {
      await seed(ctx.repo);
      await ctx.repo.createDeviceCode(deviceCode());
      expect(await ctx.repo.consumeDeviceCode(hash('dc1'), T0 + 5)).toBeNull();
      await ctx.repo.decideDeviceCode(hash('dc1'), APPROVE, T0 + 10);
      const approved = deviceCode({ status: 'approved', userId: 'u1', ssoSessionId: 's1', authTime: T0 - 5_000, decidedAt: T0 + 10 });
      expect(await ctx.repo.consumeDeviceCode(hash('dc1'), T0 + 20)).toEqual({ ...approved, status: 'consumed', lastPolledAt: T0 + 20 });
      expect(await ctx.repo.consumeDeviceCode(hash('dc1'), T0 + 30)).toBeNull();
    });

    it('never consumes a denied request', async () => {
      await seed(ctx.repo);
      await ctx.repo.createDeviceCode(deviceCode());
      await ctx.repo.decideDeviceCode(hash('dc1'), DENY, T0 + 10);
      expect(await ctx.repo.consumeDeviceCode(hash('dc1'), T0 + 20)).toBeNull();
      expect((await ctx.repo.findDeviceCode(hash('dc1')))?.status).toBe('denied');
    });

    it('gives an approved request to exactly one of 20 concurrent consumers, across two repositories', async () => {
      await seed(ctx.repo);
      await ctx.repo.createDeviceCode(deviceCode());
      await ctx.repo.decideDeviceCode(hash('dc1'), APPROVE, T0 + 10);
      const other = await ctx.openAnother();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? ctx.repo : other).consumeDeviceCode(hash('dc1'), T0 + 100 + i)));
      const winners = results.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      expect(winners[0]).toMatchObject({ status: 'consumed', userId: 'u1', clientId: 'app' });
    });

    it('deletes expired requests in housekeeping and keeps live ones', async () => {
      await seed(ctx.repo);
      await ctx.repo.createDeviceCode(deviceCode({ expiresAt: T0 + 100 }));
      await ctx.repo.createDeviceCode(deviceCode({ deviceCodeHash: hash('dc2'), userCodeHash: hash('dev-user2') }));
      expect(await ctx.repo.deleteExpired(T0 + 101, 10)).toBe(1);
      expect(await ctx.repo.findDeviceCode(hash('dc1'))).toBeNull();
      expect(await ctx.repo.findDeviceCode(hash('dc2'))).not.toBeNull();
    });

    it('deletes the device requests of a deleted client', async () => {
      await seed(ctx.repo);
      await ctx.repo.createDeviceCode(deviceCode());
      expect(await ctx.repo.deleteClient('app')).toBe(true);
      expect(await ctx.repo.findDeviceCode(hash('dc1'))).toBeNull();
    });

    it('stores the grant types of a client that may only use the device grant', async () => {
      const deviceOnly = client({ id: 'tv', grantTypes: ['urn:ietf:params:oauth:grant-type:device_code'] });
      await ctx.repo.createClient(deviceOnly);
      expect(await ctx.repo.getClient('tv')).toEqual(deviceOnly);
    });
  });
});
