/** Conformance of the `Repository` SSO session methods (`sso_sessions`), run against SQLite and the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import type { SsoSessionRecord } from '../records.js';
import { T0, HOUR, hash, user, session } from '../test-support/records.js';

forEachBackend('Repository', (ctx) => {
  describe('SSO sessions', () => {
    it('finds a session by its token hash with every field intact', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.createSsoSession(session());
      expect(await ctx.repo.findSsoSessionByHash(hash('sso1'))).toEqual(session());
      expect(await ctx.repo.findSsoSessionByHash(hash('other'))).toBeNull();
    });

    it('finds a session by its id with every field intact, and null for an unknown id', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.createSsoSession(session({ revokedAt: T0 + 1 }));
      expect(await ctx.repo.findSsoSessionById('s1')).toEqual(session({ revokedAt: T0 + 1 }));
      expect(await ctx.repo.findSsoSessionById('s2')).toBeNull();
    });

    it('revokes a session once and keeps the first revocation time', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.createSsoSession(session());
      await ctx.repo.revokeSsoSession('s1', T0 + 10);
      await ctx.repo.revokeSsoSession('s1', T0 + 20);
      expect(await ctx.repo.findSsoSessionByHash(hash('sso1'))).toEqual(session({ revokedAt: T0 + 10 }));
    });

    it('lists only the unrevoked, unexpired sessions of the user, newest first', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com' }));
      const now = T0 + HOUR;
      const s = (id: string, over: Partial<SsoSessionRecord> = {}) => session({ id, tokenHash: hash(id), ...over });
      await ctx.repo.createSsoSession(s('old', { createdAt: T0 }));
      await ctx.repo.createSsoSession(s('new', { createdAt: T0 + 10, userAgent: null }));
      await ctx.repo.createSsoSession(s('revoked', { createdAt: T0 + 20, revokedAt: T0 + 30 }));
      await ctx.repo.createSsoSession(s('expired', { createdAt: T0 + 40, expiresAt: now - 1 }));
      await ctx.repo.createSsoSession(s('ends-now', { createdAt: T0 + 50, expiresAt: now }));
      await ctx.repo.createSsoSession(s('bobs', { userId: 'u2', createdAt: T0 + 60 }));
      const list = await ctx.repo.listActiveSsoSessionsForUser('u1', now);
      expect(list.map((x) => x.id)).toEqual(['new', 'old']);
      expect(list[0]).toEqual(s('new', { createdAt: T0 + 10, userAgent: null }));
      expect(list[1]).toEqual(s('old', { createdAt: T0 }));
      expect(await ctx.repo.listActiveSsoSessionsForUser('nobody', now)).toEqual([]);
    });

    it('revokes every live session of a user but the one spared, counts them, and touches no one else', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com' }));
      const s = (id: string, over: Partial<SsoSessionRecord> = {}) => session({ id, tokenHash: hash(id), ...over });
      await ctx.repo.createSsoSession(s('here'));
      await ctx.repo.createSsoSession(s('a'));
      await ctx.repo.createSsoSession(s('b'));
      await ctx.repo.createSsoSession(s('earlier', { revokedAt: T0 + 1 }));
      await ctx.repo.createSsoSession(s('expired', { expiresAt: T0 + 2 }));
      await ctx.repo.createSsoSession(s('bobs', { userId: 'u2' }));
      expect(await ctx.repo.revokeSsoSessionsForUser('u1', T0 + 7, 'here')).toBe(2);
      expect(await ctx.repo.revokeSsoSessionsForUser('u1', T0 + 8, 'here')).toBe(0);
      expect(await ctx.repo.findSsoSessionByHash(hash('a'))).toEqual(s('a', { revokedAt: T0 + 7 }));
      expect(await ctx.repo.findSsoSessionByHash(hash('b'))).toEqual(s('b', { revokedAt: T0 + 7 }));
      expect((await ctx.repo.findSsoSessionByHash(hash('here')))?.revokedAt).toBeNull();
      expect((await ctx.repo.findSsoSessionByHash(hash('earlier')))?.revokedAt).toBe(T0 + 1);
      expect((await ctx.repo.findSsoSessionByHash(hash('expired')))?.revokedAt).toBeNull();
      expect((await ctx.repo.findSsoSessionByHash(hash('bobs')))?.revokedAt).toBeNull();
      expect((await ctx.repo.listActiveSsoSessionsForUser('u1', T0 + 9)).map((x) => x.id)).toEqual(['here']);
    });

    it('revokes every live session of a user when none is spared', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.createSsoSession(session());
      await ctx.repo.createSsoSession(session({ id: 's2', tokenHash: hash('sso2') }));
      expect(await ctx.repo.revokeSsoSessionsForUser('u1', T0 + 7, null)).toBe(2);
      expect(await ctx.repo.listActiveSsoSessionsForUser('u1', T0 + 8)).toEqual([]);
    });
  });
});
