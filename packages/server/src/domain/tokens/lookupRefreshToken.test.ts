/** The one "is this refresh token still live" rule: absolute and idle lifetimes, revocation, the owner, the person. */
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, SECOND } from '../../test-support/clock.js';
import { aClient, aGrant, refreshTokenRecord, T0, useDomainContext } from '../../test-support/domain.js';
import { sha256Hex } from '../lib/crypto.js';
import { lookupRefreshToken, MAX_REFRESH_TOKEN_LENGTH } from './lookupRefreshToken.js';
import { refreshTokens } from './refresh.js';

describe('lookupRefreshToken', () => {
  const t = useDomainContext();

  it('answers a live token with its record, its grant, its person and when it stops working', async () => {
    const { client } = await aClient(t.kt);
    const { refreshToken, grant } = await aGrant(t.kt, client, t.person);
    expect(await lookupRefreshToken(t.kt, client, refreshToken)).toEqual({
      live: true,
      token: await refreshTokenRecord(t.kt, refreshToken),
      grant,
      user: t.person.user,
      expiresAt: T0 + 60 * DAY,
    });
  });

  it('answers unknown for a token no grant has, an empty one and one longer than the limit', async () => {
    const { client } = await aClient(t.kt);
    for (const raw of ['never-issued', '', 'x'.repeat(MAX_REFRESH_TOKEN_LENGTH + 1)]) {
      expect(await lookupRefreshToken(t.kt, client, raw)).toEqual({ live: false, reason: 'unknown' });
    }
  });

  it("answers another client's token exactly as an unknown one", async () => {
    const { client: owner } = await aClient(t.kt);
    const { client: other } = await aClient(t.kt);
    const { refreshToken } = await aGrant(t.kt, owner, t.person);
    expect(await lookupRefreshToken(t.kt, other, refreshToken)).toEqual({ live: false, reason: 'unknown' });
  });

  it('answers revoked once the grant is revoked, with the token and the revoked grant', async () => {
    const { client } = await aClient(t.kt);
    const { refreshToken, grant } = await aGrant(t.kt, client, t.person);
    t.clock.advance(MINUTE);
    await t.kt.repo.revokeGrant(grant.id, t.kt.now(), 'revoked_by_client');
    const found = await lookupRefreshToken(t.kt, client, refreshToken);
    expect(found).toMatchObject({ live: false, reason: 'revoked', grant: { id: grant.id, revokedAt: T0 + MINUTE, revokedReason: 'revoked_by_client' } });
  });

  it("ends at the grant's absolute expiry from the client's refreshTtlSec: live 1 ms before, expired at it", async () => {
    const { client } = await aClient(t.kt, { refreshTtlSec: 3600 });
    const { refreshToken, grant } = await aGrant(t.kt, client, t.person);
    expect(grant.expiresAt).toBe(T0 + HOUR);
    t.clock.set(T0 + HOUR - 1);
    expect(await lookupRefreshToken(t.kt, client, refreshToken)).toMatchObject({ live: true, expiresAt: T0 + HOUR });
    t.clock.set(T0 + HOUR);
    expect(await lookupRefreshToken(t.kt, client, refreshToken)).toMatchObject({ live: false, reason: 'expired' });
  });

  it("ends at the token's own expiry when it comes before its grant's", async () => {
    const { client } = await aClient(t.kt, { policy: 'rotate' });
    const { refreshToken, grant } = await aGrant(t.kt, client, t.person);
    const shortLived = 'a-successor-that-expires-before-its-grant';
    const spent = await t.kt.repo.spendRefreshToken(
      sha256Hex(refreshToken),
      { tokenHash: sha256Hex(shortLived), grantId: grant.id, parentHash: sha256Hex(refreshToken), createdAt: T0, expiresAt: T0 + MINUTE, spentAt: null, successorHash: null },
      T0,
    );
    expect(spent).toBe(true);
    expect(await lookupRefreshToken(t.kt, client, shortLived)).toMatchObject({ live: true, expiresAt: T0 + MINUTE });
    t.clock.set(T0 + MINUTE);
    expect(await lookupRefreshToken(t.kt, client, shortLived)).toMatchObject({ live: false, reason: 'expired' });
  });

  it("ends after the client's refreshIdleTtlSec without use: live 1 ms before, idle at it", async () => {
    const { client } = await aClient(t.kt, { refreshIdleTtlSec: 600 });
    const { refreshToken } = await aGrant(t.kt, client, t.person);
    t.clock.set(T0 + 600 * SECOND - 1);
    expect(await lookupRefreshToken(t.kt, client, refreshToken)).toMatchObject({ live: true, expiresAt: T0 + 60 * DAY });
    t.clock.set(T0 + 600 * SECOND);
    expect(await lookupRefreshToken(t.kt, client, refreshToken)).toMatchObject({ live: false, reason: 'idle' });
  });

  it("counts idle time from the grant's last use, not from the sign-in", async () => {
    const { client } = await aClient(t.kt, { refreshIdleTtlSec: 600 });
    const { refreshToken, grant } = await aGrant(t.kt, client, t.person);
    await t.kt.repo.touchGrant(grant.id, T0 + 500 * SECOND);
    t.clock.set(T0 + 1100 * SECOND - 1);
    expect(await lookupRefreshToken(t.kt, client, refreshToken)).toMatchObject({ live: true });
    t.clock.set(T0 + 1100 * SECOND);
    expect(await lookupRefreshToken(t.kt, client, refreshToken)).toMatchObject({ live: false, reason: 'idle' });
  });

  it('never goes idle when the client sets no idle lifetime', async () => {
    const { client } = await aClient(t.kt, { refreshIdleTtlSec: null });
    const { refreshToken } = await aGrant(t.kt, client, t.person);
    t.clock.set(T0 + 60 * DAY - 1);
    expect(await lookupRefreshToken(t.kt, client, refreshToken)).toMatchObject({ live: true });
  });

  it('says revoked rather than expired or idle for a revoked family whose time is also over', async () => {
    const { client } = await aClient(t.kt, { refreshTtlSec: 3600, refreshIdleTtlSec: 600 });
    const { refreshToken, grant } = await aGrant(t.kt, client, t.person);
    await t.kt.repo.revokeGrant(grant.id, T0, 'revoked_by_client');
    t.clock.set(T0 + 2 * HOUR);
    expect(await lookupRefreshToken(t.kt, client, refreshToken)).toMatchObject({ live: false, reason: 'revoked' });
  });

  it('still answers a token spent by rotation as live, with its spentAt, for the caller to judge', async () => {
    const { client } = await aClient(t.kt, { policy: 'rotate' });
    const { refreshToken } = await aGrant(t.kt, client, t.person);
    t.clock.advance(SECOND);
    await refreshTokens(t.kt, client, { refreshToken });
    expect(await lookupRefreshToken(t.kt, client, refreshToken)).toMatchObject({ live: true, token: { spentAt: T0 + SECOND } });
  });
});

describe('lookupRefreshToken with a server refreshTokenTtlSec of 2 hours', () => {
  const t = useDomainContext({ config: { refreshTokenTtlSec: 7200 } });

  it("uses the server's refreshTokenTtlSec when the client sets no lifetime", async () => {
    const { refreshToken } = await aGrant(t.kt, t.client, t.person);
    expect(await lookupRefreshToken(t.kt, t.client, refreshToken)).toMatchObject({ live: true, expiresAt: T0 + 2 * HOUR });
    t.clock.set(T0 + 2 * HOUR);
    expect(await lookupRefreshToken(t.kt, t.client, refreshToken)).toMatchObject({ live: false, reason: 'expired' });
  });
});

describe('lookupRefreshToken once the person is gone', () => {
  const t = useDomainContext({ database: 'file' });

  it("answers account_gone for a token whose grant outlived its person's row", async () => {
    const { refreshToken, grant } = await aGrant(t.kt, t.client, t.person);
    t.removePerson(t.person.user.id);
    expect(await lookupRefreshToken(t.kt, t.client, refreshToken)).toMatchObject({ live: false, reason: 'account_gone', grant: { id: grant.id } });
  });
});
