/** `grant_type=refresh_token`: the reuse policy, scope narrowing, lifetimes as the token endpoint reports them, and who may refresh. */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, SECOND } from '../../test-support/clock.js';
import { aClient, aGrant, refreshTokenRecord, refusal, T0, useDomainContext } from '../../test-support/domain.js';
import { refreshTokens } from './refresh.js';

const INVALID = refusal('invalid_grant', 'the refresh token is invalid');

describe('refreshTokens under the reuse policy', () => {
  const t = useDomainContext({ client: { policy: 'reuse' } });

  it('gives the same refresh token back each time, its expiry counting down', async () => {
    const { refreshToken, tokens } = await aGrant(t.kt, t.client, t.person);
    expect(tokens.refresh_token_expires_in).toBe(60 * 86_400);
    t.clock.advance(DAY);
    const second = await refreshTokens(t.kt, t.client, { refreshToken });
    expect(second.refresh_token).toBe(refreshToken);
    expect(second.refresh_token_expires_in).toBe(59 * 86_400);
    t.clock.advance(SECOND);
    const third = await refreshTokens(t.kt, t.client, { refreshToken });
    expect(third.refresh_token).toBe(refreshToken);
    expect(third.refresh_token_expires_in).toBe(59 * 86_400 - 1);
    expect(await refreshTokenRecord(t.kt, refreshToken)).toMatchObject({ spentAt: null, successorHash: null });
  });

  it("mints new access and ID tokens for the grant's person and client, valid from now", async () => {
    const { refreshToken, grant, tokens } = await aGrant(t.kt, t.client, t.person);
    t.clock.advance(HOUR);
    const body = await refreshTokens(t.kt, t.client, { refreshToken });
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile email offline_access' });
    expect(body.access_token).not.toBe(tokens.access_token);
    const now = (T0 + HOUR) / 1000;
    expect(decodeJwt(body.access_token)).toMatchObject({ sub: t.person.user.id, client_id: t.client.id, aud: t.client.id, sid: grant.id, scope: grant.scope, iat: now, exp: now + 3600 });
    expect(decodeJwt(body.id_token!)).toMatchObject({ sub: t.person.user.id, aud: t.client.id, email: t.person.email, iat: now, auth_time: T0 / 1000 });
  });

  it('gives no ID token when the grant has no openid scope, unless token_format=jwt asks for one', async () => {
    const { refreshToken } = await aGrant(t.kt, t.client, t.person, { scope: 'email offline_access' });
    expect((await refreshTokens(t.kt, t.client, { refreshToken })).id_token).toBeUndefined();
    const jwt = await refreshTokens(t.kt, t.client, { refreshToken, tokenFormat: 'jwt' });
    expect(decodeJwt(jwt.id_token!)).toMatchObject({ sub: t.person.user.id, aud: t.client.id });
  });
});

describe('refreshTokens with a scope', () => {
  const t = useDomainContext({ client: { policy: 'rotate' } });

  it('narrows the scope of the new access token when asked, and the grant keeps its whole scope', async () => {
    const { refreshToken, grant } = await aGrant(t.kt, t.client, t.person);
    const narrow = await refreshTokens(t.kt, t.client, { refreshToken, scope: 'openid email email' });
    expect(narrow.scope).toBe('openid email');
    expect(decodeJwt(narrow.access_token).scope).toBe('openid email');
    expect((await t.kt.repo.getGrant(grant.id))?.scope).toBe('openid profile email offline_access');
    const whole = await refreshTokens(t.kt, t.client, { refreshToken: narrow.refresh_token });
    expect(whole.scope).toBe('openid profile email offline_access');
  });

  it("gives the grant's whole scope when the scope asked for is blank", async () => {
    const { refreshToken } = await aGrant(t.kt, t.client, t.person, { scope: 'openid email offline_access' });
    expect((await refreshTokens(t.kt, t.client, { refreshToken, scope: '  ' })).scope).toBe('openid email offline_access');
  });

  it('refuses a wider scope with invalid_scope and leaves the token unspent', async () => {
    const { refreshToken, grant } = await aGrant(t.kt, t.client, t.person, { scope: 'openid offline_access' });
    t.clock.advance(SECOND);
    await expect(refreshTokens(t.kt, t.client, { refreshToken, scope: 'openid email' })).rejects.toMatchObject(
      refusal('invalid_scope', 'scope may only narrow on refresh'),
    );
    expect(await refreshTokenRecord(t.kt, refreshToken)).toMatchObject({ spentAt: null });
    expect(await t.kt.repo.getGrant(grant.id)).toMatchObject({ scope: 'openid offline_access', lastUsedAt: T0, revokedAt: null });
  });

  it('refuses a malformed scope with invalid_scope', async () => {
    const { refreshToken } = await aGrant(t.kt, t.client, t.person);
    await expect(refreshTokens(t.kt, t.client, { refreshToken, scope: 'openid "email' })).rejects.toMatchObject(
      refusal('invalid_scope', 'scope has characters RFC 6749 does not allow'),
    );
    expect(await refreshTokenRecord(t.kt, refreshToken)).toMatchObject({ spentAt: null });
  });
});

describe('refreshTokens', () => {
  const t = useDomainContext();

  describe('lifetimes', () => {
    it("refuses a refresh token past its client's refreshTtlSec as expired", async () => {
      const { client } = await aClient(t.kt, { refreshTtlSec: 3600 });
      const { refreshToken, tokens } = await aGrant(t.kt, client, t.person);
      expect(tokens.refresh_token_expires_in).toBe(3600);
      t.clock.set(T0 + HOUR - SECOND);
      expect((await refreshTokens(t.kt, client, { refreshToken })).refresh_token_expires_in).toBe(1);
      t.clock.set(T0 + HOUR);
      await expect(refreshTokens(t.kt, client, { refreshToken })).rejects.toMatchObject(refusal('invalid_grant', 'the refresh token has expired'));
    });

    it('moves lastUsedAt on each refresh further apart than its recording precision, so the idle lifetime starts again from each use', async () => {
      const { client } = await aClient(t.kt, { refreshIdleTtlSec: 600 });
      const { refreshToken, grant } = await aGrant(t.kt, client, t.person);
      t.clock.set(T0 + 500 * SECOND);
      await refreshTokens(t.kt, client, { refreshToken });
      expect((await t.kt.repo.getGrant(grant.id))?.lastUsedAt).toBe(T0 + 500 * SECOND);
      t.clock.set(T0 + 1000 * SECOND);
      await refreshTokens(t.kt, client, { refreshToken });
      t.clock.set(T0 + 1600 * SECOND);
      await expect(refreshTokens(t.kt, client, { refreshToken })).rejects.toMatchObject(
        refusal('invalid_grant', 'the refresh token has expired after a period without use'),
      );
    });
  });

  describe('who may refresh', () => {
    it('asks for the refresh token when none is given', async () => {
      const { client } = await aClient(t.kt);
      await expect(refreshTokens(t.kt, client, {})).rejects.toMatchObject(refusal('invalid_request', 'refresh_token is required'));
    });

    it("answers another client's refresh token exactly as an unknown one and leaves it working for its owner", async () => {
      const { client: owner } = await aClient(t.kt, { policy: 'rotate' });
      const { client: other } = await aClient(t.kt, { policy: 'rotate' });
      const { refreshToken, grant } = await aGrant(t.kt, owner, t.person);
      await expect(refreshTokens(t.kt, other, { refreshToken: 'never-issued' })).rejects.toMatchObject(INVALID);
      await expect(refreshTokens(t.kt, other, { refreshToken })).rejects.toMatchObject(INVALID);
      expect(await refreshTokenRecord(t.kt, refreshToken)).toMatchObject({ spentAt: null });
      expect(await t.kt.repo.getGrant(grant.id)).toMatchObject({ revokedAt: null, lastUsedAt: T0 });
      expect((await refreshTokens(t.kt, owner, { refreshToken })).scope).toBe(grant.scope);
    });

    it('refuses a refresh token of a revoked grant', async () => {
      const { client } = await aClient(t.kt);
      const { refreshToken, grant } = await aGrant(t.kt, client, t.person);
      await t.kt.repo.revokeGrant(grant.id, T0, 'revoked_by_client');
      await expect(refreshTokens(t.kt, client, { refreshToken })).rejects.toMatchObject(refusal('invalid_grant', 'the refresh token has been revoked'));
    });
  });
});

describe('refreshTokens once the person is gone', () => {
  const t = useDomainContext({ database: 'file' });

  it('refuses the refresh token of a person who was removed', async () => {
    const { client } = await aClient(t.kt);
    const { refreshToken } = await aGrant(t.kt, client, t.person);
    t.removePerson(t.person.user.id);
    await expect(refreshTokens(t.kt, client, { refreshToken })).rejects.toMatchObject(refusal('invalid_grant', 'the account no longer exists'));
  });
});
