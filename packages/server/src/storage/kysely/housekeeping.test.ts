/** Conformance of the `Repository` housekeeping method (`deleteExpired`), run against SQLite and the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import { T0, HOUR, hash, session, code, grant, refreshToken, seed } from '../test-support/records.js';

forEachBackend('Repository', (ctx) => {
  describe('deleteExpired', () => {
    it('deletes at most batchSize expired rows of each kind per call and keeps unexpired ones', async () => {
      await seed(ctx.repo);
      const now = T0 + 10 * HOUR;
      for (let i = 0; i < 3; i++) await ctx.repo.createAuthCode(code({ codeHash: hash(`dead-code${i}`), expiresAt: now - 1 - i }));
      await ctx.repo.createAuthCode(code({ codeHash: hash('live-code'), expiresAt: now + 1 }));
      await ctx.repo.createAuthCode(code({ codeHash: hash('edge-code'), expiresAt: now }));
      for (let i = 0; i < 3; i++) await ctx.repo.revokeAccessToken(`dead-jti${i}`, now - 1);
      await ctx.repo.revokeAccessToken('live-jti', now + 1);
      for (let i = 0; i < 3; i++) {
        await ctx.repo.createSsoSession(session({ id: `dead-s${i}`, tokenHash: hash(`dead-sso${i}`), expiresAt: now - 1 }));
      }

      // First call: 2 codes, 2 jtis, 2 sessions (s1 lives on).
      expect(await ctx.repo.deleteExpired(now, 2)).toBe(6);
      // Second call: what is left of each.
      expect(await ctx.repo.deleteExpired(now, 2)).toBe(3);
      expect(await ctx.repo.deleteExpired(now, 2)).toBe(0);

      expect((await ctx.repo.consumeAuthCode(hash('live-code'), now))?.firstUse).toBe(true);
      expect((await ctx.repo.consumeAuthCode(hash('edge-code'), now))?.firstUse).toBe(true);
      for (let i = 0; i < 3; i++) expect(await ctx.repo.consumeAuthCode(hash(`dead-code${i}`), now)).toBeNull();
      expect(await ctx.repo.isAccessTokenRevoked('live-jti')).toBe(true);
      expect(await ctx.repo.isAccessTokenRevoked('dead-jti0')).toBe(false);
      expect(await ctx.repo.findSsoSessionByHash(hash('sso1'))).toEqual(session());
      expect(await ctx.repo.findSsoSessionByHash(hash('dead-sso0'))).toBeNull();
    });

    it('deletes an expired grant with its refresh tokens, bounded per batch, and keeps live grants', async () => {
      await seed(ctx.repo);
      const now = T0 + 10 * HOUR;
      await ctx.repo.createGrant(grant({ id: 'dead', expiresAt: now - 1 }), refreshToken({ tokenHash: hash('d0'), grantId: 'dead' }), null);
      for (let i = 1; i < 3; i++) {
        await ctx.repo.spendRefreshToken(
          hash(`d${i - 1}`),
          refreshToken({ tokenHash: hash(`d${i}`), grantId: 'dead', parentHash: hash(`d${i - 1}`) }),
          T0 + i,
        );
      }
      await ctx.repo.createGrant(grant({ id: 'live' }), refreshToken({ tokenHash: hash('l0'), grantId: 'live' }), null);

      // 3 tokens, batch 2: two tokens go, the grant waits for its last token.
      expect(await ctx.repo.deleteExpired(now, 2)).toBe(2);
      expect(await ctx.repo.getGrant('dead')).not.toBeNull();
      // The last token and then the grant itself.
      expect(await ctx.repo.deleteExpired(now, 2)).toBe(2);
      expect(await ctx.repo.getGrant('dead')).toBeNull();
      for (let i = 0; i < 3; i++) expect(await ctx.repo.findRefreshToken(hash(`d${i}`))).toBeNull();
      expect(await ctx.repo.getGrant('live')).toEqual(grant({ id: 'live' }));
      expect(await ctx.repo.findRefreshToken(hash('l0'))).toEqual(refreshToken({ tokenHash: hash('l0'), grantId: 'live' }));
      expect(await ctx.repo.deleteExpired(now, 2)).toBe(0);
    });

    it('keeps grants and codes that point at a deleted SSO session, without the session', async () => {
      await seed(ctx.repo);
      const now = T0 + 90 * 24 * HOUR;
      await ctx.repo.createGrant(grant({ expiresAt: now + HOUR }), null, null);
      expect(await ctx.repo.deleteExpired(now, 10)).toBe(1);
      expect(await ctx.repo.getGrant('g1')).toEqual(grant({ expiresAt: now + HOUR, ssoSessionId: null }));
    });
  });
});
