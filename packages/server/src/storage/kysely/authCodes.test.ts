/** Conformance of the `Repository` authorization code methods (`auth_codes`), run against SQLite and the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import { T0, hash, code, grant, seed, user } from '../test-support/records.js';

forEachBackend('Repository', (ctx) => {
  describe('authorization codes', () => {
    it('consumes a code once: firstUse true with consumedAt set, then false with the same consumedAt', async () => {
      await seed(ctx.repo);
      await ctx.repo.createAuthCode(code());
      expect(await ctx.repo.consumeAuthCode(hash('code1'), T0 + 100)).toEqual({
        code: code({ consumedAt: T0 + 100 }),
        firstUse: true,
      });
      expect(await ctx.repo.consumeAuthCode(hash('code1'), T0 + 200)).toEqual({
        code: code({ consumedAt: T0 + 100 }),
        firstUse: false,
      });
    });

    it('keeps an online code without PKCE, nonce or session as stored', async () => {
      await seed(ctx.repo);
      const plain = code({ offline: false, nonce: null, codeChallenge: null, codeChallengeMethod: null, ssoSessionId: null });
      await ctx.repo.createAuthCode(plain);
      expect((await ctx.repo.consumeAuthCode(plain.codeHash, T0 + 1))?.code).toEqual({ ...plain, consumedAt: T0 + 1 });
    });

    it('answers null when consuming an unknown code', async () => {
      expect(await ctx.repo.consumeAuthCode(hash('nope'), T0)).toBeNull();
    });

    it('gives firstUse to exactly one of 20 concurrent consumers, across two repositories', async () => {
      await seed(ctx.repo);
      await ctx.repo.createAuthCode(code());
      const other = await ctx.openAnother();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? ctx.repo : other).consumeAuthCode(hash('code1'), T0 + 1_000 + i)),
      );
      const winners = results.filter((r) => r?.firstUse === true);
      expect(winners).toHaveLength(1);
      const consumedAt = winners[0]?.code.consumedAt;
      expect(typeof consumedAt).toBe('number');
      for (const r of results) expect(r?.code.consumedAt).toBe(consumedAt);
    });

    it("deletes a user's codes that became no grant, in flight ones too, and leaves linked and other users' codes", async () => {
      await seed(ctx.repo);
      await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com' }));
      await ctx.repo.createAuthCode(code({ codeHash: hash('fresh') }));
      await ctx.repo.createAuthCode(code({ codeHash: hash('in-flight') }));
      await ctx.repo.consumeAuthCode(hash('in-flight'), T0 + 1);
      await ctx.repo.createAuthCode(code({ codeHash: hash('exchanged') }));
      await ctx.repo.consumeAuthCode(hash('exchanged'), T0 + 1);
      await ctx.repo.createGrant(grant(), null, hash('exchanged'));
      await ctx.repo.createAuthCode(code({ codeHash: hash('bobs'), userId: 'u2', ssoSessionId: null }));
      expect(await ctx.repo.deleteOutstandingAuthCodesForUser('u1')).toBe(2);
      expect(await ctx.repo.consumeAuthCode(hash('fresh'), T0 + 2)).toBeNull();
      expect(await ctx.repo.consumeAuthCode(hash('in-flight'), T0 + 2)).toBeNull();
      expect((await ctx.repo.consumeAuthCode(hash('exchanged'), T0 + 2))?.code.grantId).toBe('g1');
      expect((await ctx.repo.consumeAuthCode(hash('bobs'), T0 + 2))?.firstUse).toBe(true);
      expect(await ctx.repo.deleteOutstandingAuthCodesForUser('u1')).toBe(0);
    });
  });
});
