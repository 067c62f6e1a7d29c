/** Conformance of the `Repository` grant and refresh token methods (`grants`, `refresh_tokens`), run against SQLite and the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import { T0, HOUR, hash, user, code, grant, refreshToken, seed } from '../test-support/records.js';

forEachBackend('Repository', (ctx) => {
  describe('grants', () => {
    it('creates a grant, its first refresh token and links the code, in one call', async () => {
      await seed(ctx.repo);
      await ctx.repo.createAuthCode(code());
      await ctx.repo.consumeAuthCode(hash('code1'), T0 + 1);
      await ctx.repo.createGrant(grant(), refreshToken(), hash('code1'));
      expect(await ctx.repo.getGrant('g1')).toEqual(grant());
      expect(await ctx.repo.findRefreshToken(hash('rt1'))).toEqual(refreshToken());
      expect((await ctx.repo.consumeAuthCode(hash('code1'), T0 + 2))?.code.grantId).toBe('g1');
    });

    it('stores no grant and no refresh token when the code to link was deleted meanwhile', async () => {
      await seed(ctx.repo);
      await ctx.repo.createAuthCode(code());
      await ctx.repo.consumeAuthCode(hash('code1'), T0 + 1);
      await ctx.repo.deleteOutstandingAuthCodesForUser('u1');
      await expect(ctx.repo.createGrant(grant(), refreshToken(), hash('code1'))).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
      expect(await ctx.repo.getGrant('g1')).toBeNull();
      expect(await ctx.repo.findRefreshToken(hash('rt1'))).toBeNull();
    });

    it('creates a grant without refresh token or code', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant({ ssoSessionId: null, userAgent: null }), null, null);
      expect(await ctx.repo.getGrant('g1')).toEqual(grant({ ssoSessionId: null, userAgent: null }));
      expect(await ctx.repo.getGrant('g2')).toBeNull();
    });

    it('leaves no grant behind when its refresh token cannot be inserted (one transaction)', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      await expect(ctx.repo.createGrant(grant({ id: 'g2' }), refreshToken({ grantId: 'g2' }), null)).rejects.toThrow();
      expect(await ctx.repo.getGrant('g2')).toBeNull();
      expect((await ctx.repo.findRefreshToken(hash('rt1')))?.grantId).toBe('g1');
    });

    it('lists only the unrevoked, unexpired grants of the user, newest first', async () => {
      await seed(ctx.repo);
      await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com' }));
      const now = T0 + HOUR;
      await ctx.repo.createGrant(grant({ id: 'old', createdAt: T0 }), null, null);
      await ctx.repo.createGrant(grant({ id: 'new', createdAt: T0 + 10 }), null, null);
      await ctx.repo.createGrant(grant({ id: 'revoked', createdAt: T0 + 20, revokedAt: T0 + 30, revokedReason: 'logout' }), null, null);
      await ctx.repo.createGrant(grant({ id: 'expired', createdAt: T0 + 40, expiresAt: now - 1 }), null, null);
      await ctx.repo.createGrant(grant({ id: 'ends-now', createdAt: T0 + 50, expiresAt: now }), null, null);
      await ctx.repo.createGrant(grant({ id: 'bobs', userId: 'u2', createdAt: T0 + 60 }), null, null);
      const list = await ctx.repo.listActiveGrantsForUser('u1', now);
      expect(list.map((g) => g.id)).toEqual(['new', 'old']);
      expect(list[0]).toEqual(grant({ id: 'new', createdAt: T0 + 10 }));
    });

    it('revokes a grant once: true with the reason stored, then false with the first reason kept', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), null, null);
      expect(await ctx.repo.revokeGrant('g1', T0 + 5, 'refresh_token_reuse')).toBe(true);
      expect(await ctx.repo.revokeGrant('g1', T0 + 9, 'logout')).toBe(false);
      expect(await ctx.repo.revokeGrant('missing', T0 + 9, 'logout')).toBe(false);
      expect(await ctx.repo.getGrant('g1')).toEqual(grant({ revokedAt: T0 + 5, revokedReason: 'refresh_token_reuse' }));
    });

    it('revokes every unrevoked grant of a user and counts them', async () => {
      await seed(ctx.repo);
      await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com' }));
      await ctx.repo.createGrant(grant({ id: 'a' }), null, null);
      await ctx.repo.createGrant(grant({ id: 'b' }), null, null);
      await ctx.repo.createGrant(grant({ id: 'c', revokedAt: T0, revokedReason: 'earlier' }), null, null);
      await ctx.repo.createGrant(grant({ id: 'd', userId: 'u2' }), null, null);
      expect(await ctx.repo.revokeGrantsForUser('u1', T0 + 7, 'password_changed')).toBe(2);
      expect(await ctx.repo.revokeGrantsForUser('u1', T0 + 8, 'again')).toBe(0);
      expect(await ctx.repo.getGrant('a')).toEqual(grant({ id: 'a', revokedAt: T0 + 7, revokedReason: 'password_changed' }));
      expect((await ctx.repo.getGrant('c'))?.revokedReason).toBe('earlier');
      expect((await ctx.repo.getGrant('d'))?.revokedAt).toBeNull();
    });

    it('touches lastUsedAt forward and never backward', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), null, null);
      await ctx.repo.touchGrant('g1', T0 + 500);
      expect((await ctx.repo.getGrant('g1'))?.lastUsedAt).toBe(T0 + 500);
      await ctx.repo.touchGrant('g1', T0 + 100);
      expect((await ctx.repo.getGrant('g1'))?.lastUsedAt).toBe(T0 + 500);
    });
  });

  describe('refresh tokens', () => {
    it('spends an unspent token: marks it spent with its successor and inserts the successor', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      const next = refreshToken({ tokenHash: hash('rt2'), parentHash: hash('rt1'), createdAt: T0 + 50 });
      expect(await ctx.repo.spendRefreshToken(hash('rt1'), next, T0 + 50)).toBe(true);
      expect(await ctx.repo.findRefreshToken(hash('rt1'))).toEqual(refreshToken({ spentAt: T0 + 50, successorHash: hash('rt2') }));
      expect(await ctx.repo.findRefreshToken(hash('rt2'))).toEqual(next);
    });

    it('refuses to spend a spent token and changes nothing', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      await ctx.repo.spendRefreshToken(hash('rt1'), refreshToken({ tokenHash: hash('rt2'), parentHash: hash('rt1') }), T0 + 50);
      const again = refreshToken({ tokenHash: hash('rt3'), parentHash: hash('rt1') });
      expect(await ctx.repo.spendRefreshToken(hash('rt1'), again, T0 + 60)).toBe(false);
      expect(await ctx.repo.findRefreshToken(hash('rt1'))).toEqual(refreshToken({ spentAt: T0 + 50, successorHash: hash('rt2') }));
      expect(await ctx.repo.findRefreshToken(hash('rt3'))).toBeNull();
    });

    it('answers false for an unknown token and inserts nothing', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), null, null);
      expect(await ctx.repo.spendRefreshToken(hash('nope'), refreshToken({ tokenHash: hash('rt9') }), T0)).toBe(false);
      expect(await ctx.repo.findRefreshToken(hash('rt9'))).toBeNull();
    });

    it('lets exactly one of 20 concurrent spenders win and inserts only the winner\'s successor', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      const other = await ctx.openAnother();
      const successors = Array.from({ length: 20 }, (_, i) =>
        refreshToken({ tokenHash: hash(`succ${i}`), parentHash: hash('rt1'), createdAt: T0 + 100 + i }),
      );
      const results = await Promise.all(
        successors.map((s, i) => (i % 2 === 0 ? ctx.repo : other).spendRefreshToken(hash('rt1'), s, T0 + 100 + i)),
      );
      expect(results.filter((r) => r)).toHaveLength(1);
      const winner = results.indexOf(true);
      const spent = await ctx.repo.findRefreshToken(hash('rt1'));
      expect(spent?.successorHash).toBe(hash(`succ${winner}`));
      expect(spent?.spentAt).toBe(T0 + 100 + winner);
      const found = await Promise.all(successors.map((s) => ctx.repo.findRefreshToken(s.tokenHash)));
      expect(found.filter((f) => f !== null)).toEqual([successors[winner]]);
    });

    it('spends many tokens at once, each with its own successor and time; a spent or unknown one among them answers false', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), null, null);
      const tokens = Array.from({ length: 30 }, (_, i) => refreshToken({ tokenHash: hash(`many${i}`) }));
      for (const token of tokens) await ctx.repo.createGrant(grant({ id: `g-${token.tokenHash}` }), { ...token, grantId: `g-${token.tokenHash}` }, null);
      await ctx.repo.spendRefreshToken(hash('many0'), refreshToken({ tokenHash: hash('early'), parentHash: hash('many0'), grantId: `g-${hash('many0')}` }), T0 + 1);
      const successorOf = (i: number) =>
        refreshToken({ tokenHash: hash(`next${i}`), grantId: `g-${hash(`many${i}`)}`, parentHash: hash(`many${i}`), createdAt: T0 + 200 + i });
      const results = await Promise.all([
        ...tokens.map((token, i) => ctx.repo.spendRefreshToken(token.tokenHash, successorOf(i), T0 + 200 + i)),
        ctx.repo.spendRefreshToken(hash('unknown'), refreshToken({ tokenHash: hash('orphan') }), T0 + 300),
      ]);
      expect(results).toEqual([false, ...Array(29).fill(true), false]);
      for (let i = 1; i < 30; i++) {
        expect(await ctx.repo.findRefreshToken(hash(`many${i}`))).toMatchObject({ spentAt: T0 + 200 + i, successorHash: hash(`next${i}`) });
        expect(await ctx.repo.findRefreshToken(hash(`next${i}`))).toEqual(successorOf(i));
      }
      expect(await ctx.repo.findRefreshToken(hash('many0'))).toMatchObject({ spentAt: T0 + 1, successorHash: hash('early') });
      expect(await ctx.repo.findRefreshToken(hash('next0'))).toBeNull();
      expect(await ctx.repo.findRefreshToken(hash('orphan'))).toBeNull();
    });

    it("keeps one spend's failure its own: the spends made with it still succeed", async () => {
      await seed(ctx.repo);
      const tokens = ['a', 'b', 'c'].map((label) => refreshToken({ tokenHash: hash(label), grantId: `g-${label}` }));
      for (const token of tokens) await ctx.repo.createGrant(grant({ id: token.grantId }), token, null);
      // b's successor names a grant that does not exist: its INSERT breaks the foreign key.
      const successorOf = (label: string, grantId = `g-${label}`) => refreshToken({ tokenHash: hash(`${label}2`), grantId, parentHash: hash(label) });
      const results = await Promise.allSettled([
        ctx.repo.spendRefreshToken(hash('a'), successorOf('a'), T0 + 10),
        ctx.repo.spendRefreshToken(hash('b'), successorOf('b', 'no-such-grant'), T0 + 10),
        ctx.repo.spendRefreshToken(hash('c'), successorOf('c'), T0 + 10),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(results.map((r) => (r.status === 'fulfilled' ? r.value : null))).toEqual([true, null, true]);
      expect(await ctx.repo.findRefreshToken(hash('b'))).toEqual(tokens[1]);
      expect(await ctx.repo.findRefreshToken(hash('b2'))).toBeNull();
      expect(await ctx.repo.findRefreshToken(hash('c2'))).toEqual(successorOf('c'));
    });
  });
});
