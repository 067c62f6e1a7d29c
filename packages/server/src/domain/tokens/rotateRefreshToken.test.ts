/** Rotation (policy `rotate`): a successor each time, the retry window, and reuse detection revoking the family. */
import { beforeEach, describe, expect, it } from 'vitest';
import { MINUTE, SECOND } from '../../test-support/clock.js';
import { aClient, aGrant, refreshTokenRecord, refusal, T0, useDomainContext, type TestGrant } from '../../test-support/domain.js';
import { introspectToken } from '../introspect.js';
import { sha256Hex } from '../lib/crypto.js';
import { lookupRefreshToken } from './lookupRefreshToken.js';
import { refreshTokens } from './refresh.js';
import { rotateRefreshToken, successorOf } from './rotateRefreshToken.js';

const REUSED = refusal('invalid_grant', 'the refresh token was already used; every token of this sign-in has been revoked');
const REVOKED = refusal('invalid_grant', 'the refresh token has been revoked');

describe('rotateRefreshToken', () => {
  const t = useDomainContext({ client: { policy: 'rotate' } });
  let first: TestGrant;
  /** One refresh with `token`; returns the refresh token it answers with. */
  const refresh = async (token: string) => (await refreshTokens(t.kt, t.client, { refreshToken: token })).refresh_token;
  beforeEach(async () => {
    first = await aGrant(t.kt, t.client, t.person);
  });

  it('spends the presented token and stores a successor that keeps the expiry of the first', async () => {
    t.clock.advance(MINUTE);
    const next = await refresh(first.refreshToken);
    expect(next).toBe(successorOf(t.kt, first.refreshToken));
    expect(next).not.toBe(first.refreshToken);
    expect(await refreshTokenRecord(t.kt, first.refreshToken)).toMatchObject({ spentAt: T0 + MINUTE, successorHash: sha256Hex(next!) });
    expect(await refreshTokenRecord(t.kt, next!)).toEqual({
      tokenHash: sha256Hex(next!),
      grantId: first.grant.id,
      parentHash: sha256Hex(first.refreshToken),
      createdAt: T0 + MINUTE,
      expiresAt: first.grant.expiresAt,
      spentAt: null,
      successorHash: null,
    });
  });

  it('gives a new token on every refresh, the newest one unspent', async () => {
    const second = await refresh(first.refreshToken);
    const third = await refresh(second!);
    expect(new Set([first.refreshToken, second, third]).size).toBe(3);
    expect(await lookupRefreshToken(t.kt, t.client, third!)).toMatchObject({ live: true, token: { spentAt: null } });
  });

  it('rotates for a public client, whose policy is always rotate', async () => {
    const { client: app } = await aClient(t.kt, { public: true });
    expect(app.refreshPolicy).toBe('rotate');
    const grant = await aGrant(t.kt, app, t.person);
    const body = await refreshTokens(t.kt, app, { refreshToken: grant.refreshToken });
    expect(body.refresh_token).toBe(successorOf(t.kt, grant.refreshToken));
  });

  it('answers a retry of the just-spent token at the very end of the retry window with the same successor', async () => {
    expect(t.kt.config.rotationRetryWindowSec).toBe(10);
    const next = await refresh(first.refreshToken);
    t.clock.advance(10 * SECOND);
    expect(await refresh(first.refreshToken)).toBe(next);
    expect((await t.kt.repo.getGrant(first.grant.id))?.revokedAt).toBeNull();
    expect(await refresh(next!)).toBe(successorOf(t.kt, next!));
  });

  it('revokes the whole family when the spent token comes back 1 ms after the retry window', async () => {
    const next = await refresh(first.refreshToken);
    t.clock.advance(10 * SECOND + 1);
    await expect(refresh(first.refreshToken)).rejects.toMatchObject(REUSED);
    expect(await t.kt.repo.getGrant(first.grant.id)).toMatchObject({ revokedAt: T0 + 10 * SECOND + 1, revokedReason: 'refresh_token_reuse' });
    await expect(refresh(next!)).rejects.toMatchObject(REVOKED);
  });

  it('revokes the family when the spent token comes back after its successor was used, even inside the window', async () => {
    const second = await refresh(first.refreshToken);
    t.clock.advance(SECOND);
    const third = await refresh(second!);
    t.clock.advance(SECOND);
    await expect(refresh(first.refreshToken)).rejects.toMatchObject(REUSED);
    await expect(refresh(third!)).rejects.toMatchObject(REVOKED);
  });

  it('leaves every token of the grant dead after a reuse: each refresh token and the access token', async () => {
    const second = await refreshTokens(t.kt, t.client, { refreshToken: first.refreshToken });
    t.clock.advance(MINUTE);
    const third = await refreshTokens(t.kt, t.client, { refreshToken: second.refresh_token });
    t.clock.advance(MINUTE);
    await expect(refresh(second.refresh_token!)).rejects.toMatchObject(REUSED);
    for (const token of [first.refreshToken, second.refresh_token!, third.refresh_token!]) {
      await expect(refresh(token)).rejects.toMatchObject(REVOKED);
      expect(await lookupRefreshToken(t.kt, t.client, token)).toMatchObject({ live: false, reason: 'revoked' });
    }
    expect(await introspectToken(t.kt, t.client, third.access_token)).toEqual({ active: false });
  });

  it('still gives the successor to a retry that read the token before a racing rotation spent it', async () => {
    const found = await lookupRefreshToken(t.kt, t.client, first.refreshToken);
    if (!found.live) throw new Error('the new token is not live');
    const next = await refresh(first.refreshToken);
    t.clock.advance(SECOND);
    // `found.token` still says unspent: the store refuses to spend it twice and the rule re-reads it.
    expect(await rotateRefreshToken(t.kt, found.grant, found.token, first.refreshToken, t.kt.now())).toBe(next);
    expect((await t.kt.repo.getGrant(first.grant.id))?.revokedAt).toBeNull();
  });
});

describe.each([3, 0])('rotateRefreshToken with rotationRetryWindowSec = %i', (windowSec) => {
  const t = useDomainContext({ client: { policy: 'rotate' }, config: { rotationRetryWindowSec: windowSec } });

  it('gives the same successor to a retry at the end of the configured window and revokes the family 1 ms later', async () => {
    const { refreshToken } = await aGrant(t.kt, t.client, t.person);
    const next = (await refreshTokens(t.kt, t.client, { refreshToken })).refresh_token;
    t.clock.advance(windowSec * SECOND);
    expect((await refreshTokens(t.kt, t.client, { refreshToken })).refresh_token).toBe(next);
    t.clock.advance(1);
    await expect(refreshTokens(t.kt, t.client, { refreshToken })).rejects.toMatchObject(REUSED);
  });
});
