/** Conformance of the `Repository` signing key methods (`signing_keys`), run against SQLite and the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import { NotFoundError } from '../errors.js';
import { T0, code, signingKey } from '../test-support/records.js';

forEachBackend('Repository', (ctx) => {
  describe('signing keys', () => {
    it('lists inserted keys oldest first with every field intact', async () => {
      const a = signingKey({ kid: 'a', createdAt: T0 + 2, alg: 'ES256' });
      const b = signingKey({ kid: 'b', createdAt: T0 + 1, status: 'active', alg: 'EdDSA' });
      await ctx.repo.insertSigningKey(a);
      await ctx.repo.insertSigningKey(b);
      expect(await ctx.repo.listSigningKeys()).toEqual([b, a]);
    });

    it('activates a key, retiring only the keys that were active', async () => {
      await ctx.repo.insertSigningKey(signingKey({ kid: 'old', createdAt: T0, status: 'retired', retiredAt: T0 + 1 }));
      await ctx.repo.insertSigningKey(signingKey({ kid: 'cur', createdAt: T0 + 2, status: 'active' }));
      await ctx.repo.insertSigningKey(signingKey({ kid: 'new', createdAt: T0 + 3 }));
      await ctx.repo.activateSigningKey('new', T0 + 10);
      expect(await ctx.repo.listSigningKeys()).toEqual([
        signingKey({ kid: 'old', createdAt: T0, status: 'retired', retiredAt: T0 + 1 }),
        signingKey({ kid: 'cur', createdAt: T0 + 2, status: 'retired', retiredAt: T0 + 10 }),
        signingKey({ kid: 'new', createdAt: T0 + 3, status: 'active', retiredAt: null }),
      ]);
    });

    it('refuses to activate an unknown kid with NotFoundError and leaves the active key active', async () => {
      await ctx.repo.insertSigningKey(signingKey({ kid: 'cur', status: 'active' }));
      const err = await ctx.repo.activateSigningKey('ghost', T0).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as NotFoundError).code).toBe('ERR_NOT_FOUND');
      expect((await ctx.repo.listSigningKeys()).map((k) => [k.kid, k.status])).toEqual([['cur', 'active']]);
    });

    it('leaves exactly one active key after 10 concurrent activations of different keys', async () => {
      const other = await ctx.openAnother();
      for (let i = 0; i < 10; i++) await ctx.repo.insertSigningKey(signingKey({ kid: `k${i}`, createdAt: T0 + i }));
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : ctx.repo).activateSigningKey(`k${i}`, T0 + 100)));
      const active = (await ctx.repo.listSigningKeys()).filter((k) => k.status === 'active');
      expect(active).toHaveLength(1);
    });

    it('deletes a key once', async () => {
      await ctx.repo.insertSigningKey(signingKey());
      expect(await ctx.repo.deleteSigningKey('k1')).toBe(true);
      expect(await ctx.repo.deleteSigningKey('k1')).toBe(false);
      expect(await ctx.repo.listSigningKeys()).toEqual([]);
    });
  });
});
