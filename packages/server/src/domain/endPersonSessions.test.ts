/** Ending everything a person is signed in with: browsers, grants, and every code not yet exchanged, whatever races it. */
import { describe, expect, it, vi } from 'vitest';
import { aCode, aGrant, aPerson, refusal, useDomainContext } from '../test-support/domain.js';
import { endPersonSessions } from './endPersonSessions.js';
import { sha256Hex } from './lib/crypto.js';
import { refreshTokens } from './tokens/refresh.js';
import { exchangeCode, grantIdForCode } from './tokens/exchangeCode.js';
import { resolveSso } from './sso.js';

const REASON = 'person disabled';

describe('endPersonSessions', () => {
  const t = useDomainContext();
  const grantOf = (code: string) => t.kt.repo.getGrant(grantIdForCode(sha256Hex(code)));

  it("makes every outstanding code invalid_grant, the kept browser's too, and creates no grant", async () => {
    const kept = await aCode(t.kt, t.client, t.person);
    const other = await aCode(t.kt, t.client, t.person);
    const ended = await endPersonSessions(t.kt, t.person.user.id, { keepSsoSessionId: kept.sso.session.id, reason: REASON });
    expect(ended).toEqual({ apps: 0, browsers: 1 });
    for (const issued of [kept, other]) {
      await expect(exchangeCode(t.kt, t.client, { code: issued.code, redirectUri: issued.redirectUri })).rejects.toMatchObject(
        refusal('invalid_grant', 'the authorization code is invalid'),
      );
      expect(await grantOf(issued.code)).toBeNull();
    }
    expect(await resolveSso(t.kt, kept.npsso)).not.toBeNull();
    expect(await resolveSso(t.kt, other.npsso)).toBeNull();
  });

  it('revokes every grant with the reason given and signs out every browser when none is kept', async () => {
    const { refreshToken, grant } = await aGrant(t.kt, t.client, t.person);
    const issued = await aCode(t.kt, t.client, t.person);
    expect(await endPersonSessions(t.kt, t.person.user.id, { keepSsoSessionId: null, reason: REASON })).toEqual({ apps: 1, browsers: 2 });
    expect(await t.kt.repo.getGrant(grant.id)).toMatchObject({ revokedAt: t.kt.now(), revokedReason: REASON });
    await expect(refreshTokens(t.kt, t.client, { refreshToken })).rejects.toMatchObject(refusal('invalid_grant', 'the refresh token has been revoked'));
    expect(await resolveSso(t.kt, issued.npsso)).toBeNull();
  });

  it("leaves another person's codes alone", async () => {
    const bob = await aPerson(t.kt, 'Bob');
    const bobs = await aCode(t.kt, t.client, bob);
    await endPersonSessions(t.kt, t.person.user.id, { keepSsoSessionId: null, reason: REASON });
    expect((await exchangeCode(t.kt, t.client, { code: bobs.code, redirectUri: bobs.redirectUri })).access_token).toMatch(/^ey/);
  });

  it('creates nothing for a code whose exchange was already under way when the sessions ended', async () => {
    const issued = await aCode(t.kt, t.client, t.person, { pkce: false });
    // The sessions end after the exchange checked the code and before it stores the grant.
    const createGrant = t.kt.repo.createGrant.bind(t.kt.repo);
    vi.spyOn(t.kt.repo, 'createGrant').mockImplementationOnce(async (...args) => {
      await endPersonSessions(t.kt, t.person.user.id, { keepSsoSessionId: null, reason: REASON });
      return createGrant(...args);
    });
    await expect(exchangeCode(t.kt, t.client, { code: issued.code, redirectUri: issued.redirectUri })).rejects.toMatchObject(
      refusal('invalid_grant', 'the sign-in that issued the authorization code has ended'),
    );
    expect(await grantOf(issued.code)).toBeNull();
    expect(await t.kt.repo.listActiveGrantsForUser(t.person.user.id, t.kt.now())).toEqual([]);
  });
});
