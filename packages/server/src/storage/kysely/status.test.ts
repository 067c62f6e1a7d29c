/** Conformance of the status methods (probes, gauges, banner) on SQLite and PostgreSQL. */
import { expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import { client, grant, session, T0, user } from '../test-support/records.js';

forEachBackend('status', (ctx) => {
  it('answers ping while the database is open', async () => {
    await expect(ctx.repo.ping()).resolves.toBeUndefined();
  });

  it('counts people, and only grants and SSO sessions neither revoked nor expired', async () => {
    const now = T0 + 1_000;
    expect(await ctx.repo.countLive(now)).toEqual({ users: 0, grants: 0, ssoSessions: 0 });
    await ctx.repo.createUser(user());
    await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com' }));
    await ctx.repo.createClient(client());
    await ctx.repo.createSsoSession(session({ id: 's1', tokenHash: 'h1', expiresAt: now + 1 }));
    await ctx.repo.createSsoSession(session({ id: 's2', tokenHash: 'h2', expiresAt: now }));
    await ctx.repo.createSsoSession(session({ id: 's3', tokenHash: 'h3', expiresAt: now + 1, revokedAt: now - 1 }));
    await ctx.repo.createGrant(grant({ id: 'g1', ssoSessionId: null, expiresAt: now + 1 }), null, null);
    await ctx.repo.createGrant(grant({ id: 'g2', ssoSessionId: null, expiresAt: now - 1 }), null, null);
    await ctx.repo.createGrant(grant({ id: 'g3', ssoSessionId: null, expiresAt: now + 1, revokedAt: now - 1, revokedReason: 'test' }), null, null);
    expect(await ctx.repo.countLive(now)).toEqual({ users: 2, grants: 1, ssoSessions: 1 });
  });
});
