/** Client authentication: unknown ids, wrong or missing secrets, public clients, the verified-secret cache and the per-address lock. */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { MINUTE } from '../test-support/clock.js';
import { gate } from '../test-support/gate.js';
import { ADDRESS, aClient, useDomainContext } from '../test-support/domain.js';
import { authenticateClient } from './authenticateClient.js';

/** The `invalid_client` a failed authentication throws, with the method the client tried. */
const failed = (method: string, description = 'client authentication failed') => ({ name: 'ClientAuthError', error: 'invalid_client', status: 401, method, description });

describe('authenticateClient', () => {
  const t = useDomainContext({ config: { clientAuthLockAfter: 3 } });

  it('answers the registered client for its id and secret', async () => {
    const client = await authenticateClient(t.kt, { id: t.client.id, secret: t.secret!, method: 'client_secret_basic', address: ADDRESS });
    expect(client).toEqual(await t.kt.repo.getClient(t.client.id));
  });

  it('refuses an unknown client id as it refuses a wrong secret, keeping the method tried', async () => {
    await expect(authenticateClient(t.kt, { id: 'no-such-app', secret: t.secret!, method: 'client_secret_post' })).rejects.toMatchObject(failed('client_secret_post'));
    await expect(authenticateClient(t.kt, { id: 'bad\0id', secret: t.secret!, method: 'client_secret_basic' })).rejects.toMatchObject(failed('client_secret_basic'));
  });

  it('refuses a wrong secret, a missing secret and missing credentials, each with its description', async () => {
    await expect(authenticateClient(t.kt, { id: t.client.id, secret: 'not-the-secret-at-all', method: 'client_secret_basic' })).rejects.toMatchObject(
      failed('client_secret_basic'),
    );
    await expect(authenticateClient(t.kt, { id: t.client.id, secret: undefined, method: 'none' })).rejects.toMatchObject(failed('none', 'client secret is required'));
    await expect(authenticateClient(t.kt, { id: undefined, secret: undefined, method: 'none' })).rejects.toMatchObject(failed('none', 'client authentication is required'));
  });

  it('takes a public client by its id alone and refuses it when it sends a secret', async () => {
    const { client } = await aClient(t.kt, { public: true });
    expect(await authenticateClient(t.kt, { id: client.id, secret: undefined, method: 'none' })).toEqual(client);
    await expect(authenticateClient(t.kt, { id: client.id, secret: 'a-secret-it-never-had', method: 'client_secret_post' })).rejects.toMatchObject(
      failed('client_secret_post', 'a public client has no secret'),
    );
  });

  it('does not accept a wrong secret once the right one is cached as verified', async () => {
    const creds = { id: t.client.id, secret: t.secret!, method: 'client_secret_basic' as const };
    await authenticateClient(t.kt, creds);
    expect(t.kt.verifiedSecrets.has(t.client.id, t.client.secretHash!, t.secret!)).toBe(true);
    await expect(authenticateClient(t.kt, { ...creds, secret: `${t.secret}x` })).rejects.toMatchObject(failed('client_secret_basic'));
    expect(await authenticateClient(t.kt, creds)).toEqual(t.client);
  });

  describe('the per-address lock', () => {
    const wrong = (id: string, address = ADDRESS) =>
      authenticateClient(t.kt, { id, secret: 'not-the-secret-at-all', method: 'client_secret_post', address });
    const locked = {
      name: 'OAuthError',
      error: 'temporarily_unavailable',
      status: 429,
      retryAfterSec: 900,
      description: 'too many failed client authentications from this address; try again in 900 s',
    };

    it('answers temporarily_unavailable (429) past clientAuthLockAfter failures from one address, even to the right secret', async () => {
      await expect(wrong(t.client.id)).rejects.toMatchObject(failed('client_secret_post'));
      await expect(wrong('no-such-app')).rejects.toMatchObject(failed('client_secret_post'));
      await expect(wrong(t.client.id)).rejects.toMatchObject(failed('client_secret_post'));
      await expect(wrong(t.client.id)).rejects.toMatchObject(locked);
      await expect(authenticateClient(t.kt, { id: t.client.id, secret: t.secret!, method: 'client_secret_post', address: ADDRESS })).rejects.toMatchObject(locked);
    });

    it('locks only the failing address, and lifts the lock once the window has passed', async () => {
      for (let i = 0; i < 3; i++) await expect(wrong(t.client.id)).rejects.toMatchObject(failed('client_secret_post'));
      await expect(wrong(t.client.id)).rejects.toMatchObject(locked);
      await expect(wrong(t.client.id, '203.0.113.9')).rejects.toMatchObject(failed('client_secret_post'));
      t.clock.advance(15 * MINUTE);
      const right = { id: t.client.id, secret: t.secret!, method: 'client_secret_post' as const, address: ADDRESS };
      expect(await authenticateClient(t.kt, right)).toEqual(t.client);
    });

    it('does not count right secrets towards the lock', async () => {
      const fresh = { id: t.client.id, secret: t.secret!, method: 'client_secret_post' as const, address: ADDRESS };
      for (let i = 0; i < 5; i++) {
        // Overwrite the cached entry with one for another hash, so that every check runs argon2 again.
        t.kt.verifiedSecrets.remember(t.client.id, 'another-hash', 'x');
        expect(await authenticateClient(t.kt, fresh)).toEqual(t.client);
      }
      await expect(wrong(t.client.id)).rejects.toMatchObject(failed('client_secret_post'));
    });
  });

  describe('checks that cannot be skipped', () => {
    const right = (address: string | undefined) => authenticateClient(t.kt, { id: t.client.id, secret: t.secret!, method: 'client_secret_basic', address });
    const locked = { error: 'temporarily_unavailable', status: 429 };

    it('counts checks from an unknown address in one shared bucket, never uncounted', async () => {
      for (let i = 0; i < 3; i++) {
        await expect(authenticateClient(t.kt, { id: `nobody-${i}`, secret: 'guess-0123456789', method: 'client_secret_basic', address: undefined })).rejects.toMatchObject(failed('client_secret_basic'));
      }
      await expect(authenticateClient(t.kt, { id: t.client.id, secret: 'guess-0123456789', method: 'client_secret_basic' })).rejects.toMatchObject(locked);
      await expect(right(undefined)).rejects.toMatchObject(locked);
      expect(await right(ADDRESS)).toEqual(t.client);
    });

    it('verifies a right secret arriving 50 times at once with one argon2 check, and refuses none of them (regression: 30 of 50 got 429)', async () => {
      const run = vi.spyOn(t.kt.hashing, 'run');
      const answers = await Promise.allSettled(Array.from({ length: 50 }, () => right(ADDRESS)));
      expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(50);
      expect(run).toHaveBeenCalledTimes(1);
      expect(await t.kt.attempts.peek(`client:${ADDRESS}`)).toBe(0);
    });

    it('refuses a locked address even the secret it sends right once that secret is cached as verified (no oracle past the lock)', async () => {
      expect(await right(ADDRESS)).toEqual(t.client);
      for (let i = 0; i < 3; i++) await expect(wrongFrom('203.0.113.3')).rejects.toMatchObject(failed('client_secret_basic'));
      expect(t.kt.verifiedSecrets.has(t.client.id, t.client.secretHash!, t.secret!)).toBe(true);
      await expect(right('203.0.113.3')).rejects.toMatchObject(locked);
      expect(await right(ADDRESS)).toEqual(t.client);
    });

    it('checks on its own a request that joined the check of a locked address', async () => {
      for (let i = 0; i < 3; i++) await expect(wrongFrom('203.0.113.1')).rejects.toMatchObject(failed('client_secret_basic'));
      // The locked address's check starts first and is slow to be refused; the other joins it meanwhile.
      const peek = t.kt.attempts.peek.bind(t.kt.attempts);
      vi.spyOn(t.kt.attempts, 'peek').mockImplementation(async (key) => (await sleep(50), peek(key)));
      const [fromLocked, fromOther] = await Promise.allSettled([right('203.0.113.1'), right('203.0.113.2')]);
      expect(fromLocked).toMatchObject({ status: 'rejected', reason: locked });
      expect(fromOther).toEqual({ status: 'fulfilled', value: t.client });
    });

    it('answers 503 with Retry-After when the argon2 queue is full, without counting the attempt', async () => {
      const held = [gate(), ...Array.from({ length: t.kt.config.hashQueueLength }, () => gate())];
      const busy = held.map((g) => t.kt.hashing.run(g.task));
      await expect(right(ADDRESS)).rejects.toMatchObject({ error: 'temporarily_unavailable', status: 503, retryAfterSec: 1 });
      await expect(wrongFrom(ADDRESS)).rejects.toMatchObject({ error: 'temporarily_unavailable', status: 503 });
      expect(await t.kt.attempts.peek(`client:${ADDRESS}`)).toBe(0);
      held.forEach((g) => g.open());
      await Promise.all(busy);
      expect(await right(ADDRESS)).toEqual(t.client);
    });

    const wrongFrom = (address: string) => authenticateClient(t.kt, { id: t.client.id, secret: 'not-the-secret-at-all', method: 'client_secret_basic', address });
  });
});
