/** Conformance of the `Repository` authorization code methods (`auth_codes`), run against SQLite and the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import { T0, hash, session, code, seed } from '../test-support/records.js';

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
  });
});
