/** Revocation (RFC 7009): a refresh token ends its whole grant, an access token only itself, another client's token nothing. */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../test-support/clock.js';
import { aClient, aGrant, refusal, T0, useDomainContext } from '../test-support/domain.js';
import { introspectToken } from './introspect.js';
import { revokeToken } from './revoke.js';
import { refreshTokens } from './tokens/refresh.js';

const REVOKED = refusal('invalid_grant', 'the refresh token has been revoked');

describe('revokeToken', () => {
  const t = useDomainContext({ client: { policy: 'rotate', refreshTtlSec: 3600 } });

  it('ends the whole grant for a refresh token: the token, its access token, with reason revoked_by_client', async () => {
    const { refreshToken, tokens, grant } = await aGrant(t.kt, t.client, t.person);
    t.clock.advance(MINUTE);
    expect(await revokeToken(t.kt, t.client, refreshToken, 'refresh_token')).toBe('refresh_token');
    expect(await t.kt.repo.getGrant(grant.id)).toMatchObject({ revokedAt: T0 + MINUTE, revokedReason: 'revoked_by_client' });
    await expect(refreshTokens(t.kt, t.client, { refreshToken })).rejects.toMatchObject(REVOKED);
    expect(await introspectToken(t.kt, t.client, tokens.access_token)).toEqual({ active: false });
  });

  it('ends the grant through a token already spent by rotation, its successor with it', async () => {
    const { refreshToken, grant } = await aGrant(t.kt, t.client, t.person);
    const next = (await refreshTokens(t.kt, t.client, { refreshToken })).refresh_token!;
    expect(await revokeToken(t.kt, t.client, refreshToken)).toBe('refresh_token');
    expect((await t.kt.repo.getGrant(grant.id))?.revokedReason).toBe('revoked_by_client');
    await expect(refreshTokens(t.kt, t.client, { refreshToken: next })).rejects.toMatchObject(REVOKED);
  });

  it('takes an expired refresh token of its own client and keeps the first reason of a grant already revoked', async () => {
    const expired = await aGrant(t.kt, t.client, t.person);
    const reused = await aGrant(t.kt, t.client, t.person);
    await t.kt.repo.revokeGrant(reused.grant.id, T0, 'refresh_token_reuse');
    t.clock.set(T0 + HOUR);
    expect(await revokeToken(t.kt, t.client, expired.refreshToken)).toBe('refresh_token');
    expect(await t.kt.repo.getGrant(expired.grant.id)).toMatchObject({ revokedAt: T0 + HOUR, revokedReason: 'revoked_by_client' });
    expect(await revokeToken(t.kt, t.client, reused.refreshToken)).toBe('refresh_token');
    expect(await t.kt.repo.getGrant(reused.grant.id)).toMatchObject({ revokedAt: T0, revokedReason: 'refresh_token_reuse' });
  });

  it("ignores another client's refresh token and leaves it working", async () => {
    const { client: other } = await aClient(t.kt);
    const { refreshToken, grant } = await aGrant(t.kt, t.client, t.person);
    expect(await revokeToken(t.kt, other, refreshToken)).toBe('ignored');
    expect((await t.kt.repo.getGrant(grant.id))?.revokedAt).toBeNull();
    expect((await refreshTokens(t.kt, t.client, { refreshToken })).scope).toBe(grant.scope);
  });

  it('ignores an unknown token, an empty one and one too long to be ours', async () => {
    for (const token of ['never-issued', '', 'x'.repeat(513), 'not.a.jwt']) expect(await revokeToken(t.kt, t.client, token)).toBe('ignored');
  });

  it('remembers an access token as revoked until it would have expired, and leaves its grant live', async () => {
    const { refreshToken, tokens, grant } = await aGrant(t.kt, t.client, t.person);
    expect(await revokeToken(t.kt, t.client, tokens.access_token, 'access_token')).toBe('access_token');
    const { jti } = decodeJwt(tokens.access_token);
    expect(await t.kt.repo.isAccessTokenRevoked(jti!)).toBe(true);
    expect(await introspectToken(t.kt, t.client, tokens.access_token)).toEqual({ active: false });
    expect((await t.kt.repo.getGrant(grant.id))?.revokedAt).toBeNull();
    expect((await refreshTokens(t.kt, t.client, { refreshToken })).scope).toBe(grant.scope);
    // Stored with the token's own exp: housekeeping keeps it up to that instant and drops it after.
    await t.kt.repo.deleteExpired(T0 + HOUR, 100);
    expect(await t.kt.repo.isAccessTokenRevoked(jti!)).toBe(true);
    await t.kt.repo.deleteExpired(T0 + HOUR + 1, 100);
    expect(await t.kt.repo.isAccessTokenRevoked(jti!)).toBe(false);
  });

  it("ignores another client's access token and leaves it active", async () => {
    const { client: other } = await aClient(t.kt);
    const { tokens } = await aGrant(t.kt, t.client, t.person);
    expect(await revokeToken(t.kt, other, tokens.access_token)).toBe('ignored');
    expect(await introspectToken(t.kt, t.client, tokens.access_token)).toMatchObject({ active: true });
  });
});
