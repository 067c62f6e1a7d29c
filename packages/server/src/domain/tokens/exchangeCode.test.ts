/** `grant_type=authorization_code`: single use, replay revoking the grant, expiry, the redirect_uri repeat rule and PKCE. */
import { decodeJwt } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { SECOND } from '../../test-support/clock.js';
import { aClient, aCode, REDIRECT_URI, refusal, T0, useDomainContext } from '../../test-support/domain.js';
import type { ClientRecord } from '../../storage/records.js';
import { introspectToken } from '../introspect.js';
import { sha256Hex } from '../lib/crypto.js';
import { exchangeCode, grantIdForCode } from './exchangeCode.js';
import { refreshTokens } from './refresh.js';

const INVALID_CODE = refusal('invalid_grant', 'the authorization code is invalid');
const USED = refusal('invalid_grant', 'the authorization code was already used');

describe('exchangeCode', () => {
  const t = useDomainContext();

  it('turns a code into a grant and its tokens, the refresh token living for the server default', async () => {
    const { code, redirectUri, sso } = await aCode(t.kt, t.client, t.person, { nonce: 'n-0S6_WzA2Mj' });
    t.clock.advance(SECOND);
    const body = await exchangeCode(t.kt, t.client, { code, redirectUri, userAgent: 'Agent/1.0' });
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile email offline_access', refresh_token_expires_in: 60 * 86_400 });
    const grantId = grantIdForCode(sha256Hex(code));
    expect(await t.kt.repo.getGrant(grantId)).toEqual({
      id: grantId,
      clientId: t.client.id,
      userId: t.person.user.id,
      ssoSessionId: sso.session.id,
      scope: 'openid profile email offline_access',
      authTime: T0,
      createdAt: T0 + SECOND,
      expiresAt: T0 + SECOND + 60 * 86_400 * SECOND,
      lastUsedAt: T0 + SECOND,
      revokedAt: null,
      revokedReason: null,
      userAgent: 'Agent/1.0',
    });
    expect(decodeJwt(body.id_token!)).toMatchObject({ sub: t.person.user.id, aud: t.client.id, nonce: 'n-0S6_WzA2Mj', sid: grantId });
  });

  it("gives the refresh token the client's refreshTtlSec", async () => {
    const { client: shortLived } = await aClient(t.kt, { refreshTtlSec: 7200 });
    const { code, redirectUri } = await aCode(t.kt, shortLived, t.person);
    expect((await exchangeCode(t.kt, shortLived, { code, redirectUri })).refresh_token_expires_in).toBe(7200);
  });

  it('gives no refresh token for a code without offline access, and the grant ends with the access token', async () => {
    const { code, redirectUri } = await aCode(t.kt, t.client, t.person, { scope: 'openid email' });
    const body = await exchangeCode(t.kt, t.client, { code, redirectUri });
    expect(body.refresh_token).toBeUndefined();
    expect(body.refresh_token_expires_in).toBeUndefined();
    expect((await t.kt.repo.getGrant(grantIdForCode(sha256Hex(code))))?.expiresAt).toBe(T0 + 3600 * SECOND);
  });

  describe('single use', () => {
    it('refuses the second exchange of a code and revokes every token the first one issued', async () => {
      const { code, redirectUri } = await aCode(t.kt, t.client, t.person);
      const first = await exchangeCode(t.kt, t.client, { code, redirectUri });
      t.clock.advance(SECOND);
      await expect(exchangeCode(t.kt, t.client, { code, redirectUri })).rejects.toMatchObject(USED);
      expect(await t.kt.repo.getGrant(grantIdForCode(sha256Hex(code)))).toMatchObject({ revokedAt: T0 + SECOND, revokedReason: 'authorization_code_reuse' });
      await expect(refreshTokens(t.kt, t.client, { refreshToken: first.refresh_token })).rejects.toMatchObject(
        refusal('invalid_grant', 'the refresh token has been revoked'),
      );
      expect(await introspectToken(t.kt, t.client, first.access_token)).toEqual({ active: false });
    });

    it("stores the code's grant id as revoked when a replay comes while the first use is still in flight", async () => {
      const { code, redirectUri } = await aCode(t.kt, t.client, t.person);
      // The first use has consumed the code and not yet stored its grant.
      expect(await t.kt.repo.consumeAuthCode(sha256Hex(code), T0)).toMatchObject({ firstUse: true });
      await expect(exchangeCode(t.kt, t.client, { code, redirectUri })).rejects.toMatchObject(USED);
      expect(await t.kt.repo.getGrant(grantIdForCode(sha256Hex(code)))).toMatchObject({ revokedAt: T0, revokedReason: 'authorization_code_reuse' });
    });
  });

  it('refuses an unknown code, a missing one and one too long to be ours', async () => {
    await expect(exchangeCode(t.kt, t.client, { code: 'v3.never-issued' })).rejects.toMatchObject(INVALID_CODE);
    await expect(exchangeCode(t.kt, t.client, { code: 'v'.repeat(257) })).rejects.toMatchObject(INVALID_CODE);
    await expect(exchangeCode(t.kt, t.client, {})).rejects.toMatchObject(refusal('invalid_request', 'code is required'));
  });

  it("answers another client's code exactly as an unknown one", async () => {
    const { client: other } = await aClient(t.kt);
    const { code, redirectUri } = await aCode(t.kt, t.client, t.person);
    await expect(exchangeCode(t.kt, other, { code, redirectUri })).rejects.toMatchObject(INVALID_CODE);
  });

  it('refuses a code at the end of codeTtlSec, and takes it 1 ms before', async () => {
    const late = await aCode(t.kt, t.client, t.person);
    const inTime = await aCode(t.kt, t.client, t.person);
    t.clock.set(T0 + 60 * SECOND - 1);
    expect((await exchangeCode(t.kt, t.client, { code: inTime.code, redirectUri: inTime.redirectUri })).refresh_token_expires_in).toBe(60 * 86_400);
    t.clock.set(T0 + 60 * SECOND);
    await expect(exchangeCode(t.kt, t.client, { code: late.code, redirectUri: late.redirectUri })).rejects.toMatchObject(
      refusal('invalid_grant', 'the authorization code has expired'),
    );
  });

  describe('redirect_uri', () => {
    it('must be repeated when the authorization request named it', async () => {
      const { code } = await aCode(t.kt, t.client, t.person);
      await expect(exchangeCode(t.kt, t.client, { code })).rejects.toMatchObject(
        refusal('invalid_grant', 'redirect_uri is required: the authorization request had one (RFC 6749 4.1.3)'),
      );
    });

    it('must be the very URI of the authorization request', async () => {
      const { client: twoUris } = await aClient(t.kt, { redirectUris: [REDIRECT_URI, 'https://app.example/other'] });
      const { code } = await aCode(t.kt, twoUris, t.person);
      await expect(exchangeCode(t.kt, twoUris, { code, redirectUri: 'https://app.example/other' })).rejects.toMatchObject(
        refusal('invalid_grant', 'redirect_uri does not match the authorization request'),
      );
    });

    it('may be left out when the authorization request left it out, and must match when given anyway', async () => {
      const omitted = await aCode(t.kt, t.client, t.person, { omitRedirectUri: true });
      expect(omitted.redirectUri).toBeUndefined();
      expect((await exchangeCode(t.kt, t.client, { code: omitted.code })).scope).toBe('openid profile email offline_access');
      const given = await aCode(t.kt, t.client, t.person, { omitRedirectUri: true });
      await expect(exchangeCode(t.kt, t.client, { code: given.code, redirectUri: 'https://app.example/elsewhere' })).rejects.toMatchObject(
        refusal('invalid_grant', 'redirect_uri does not match the authorization request'),
      );
    });
  });

  describe('PKCE', () => {
    let app: ClientRecord;
    beforeEach(async () => {
      ({ client: app } = await aClient(t.kt, { public: true }));
    });

    it('takes the verifier of the challenge', async () => {
      const { code, redirectUri, verifier } = await aCode(t.kt, app, t.person);
      expect((await exchangeCode(t.kt, app, { code, redirectUri, codeVerifier: verifier })).refresh_token_expires_in).toBe(60 * 86_400);
    });

    it('asks for the verifier when the code had a challenge', async () => {
      const { code, redirectUri } = await aCode(t.kt, app, t.person);
      await expect(exchangeCode(t.kt, app, { code, redirectUri })).rejects.toMatchObject(refusal('invalid_grant', 'code_verifier is required'));
    });

    it('refuses a verifier that is not the one of the challenge', async () => {
      const { code, redirectUri } = await aCode(t.kt, app, t.person);
      await expect(exchangeCode(t.kt, app, { code, redirectUri, codeVerifier: 'a'.repeat(43) })).rejects.toMatchObject(
        refusal('invalid_grant', 'code_verifier does not match the code challenge'),
      );
    });

    it('refuses a verifier shorter than RFC 7636 allows even when its hash matches the challenge', async () => {
      const { code, redirectUri, verifier } = await aCode(t.kt, app, t.person, { verifier: 'v'.repeat(42) });
      await expect(exchangeCode(t.kt, app, { code, redirectUri, codeVerifier: verifier })).rejects.toMatchObject(
        refusal('invalid_grant', 'code_verifier does not match the code challenge'),
      );
    });

    it('refuses a verifier for a code issued without a challenge (a PKCE downgrade)', async () => {
      const { code, redirectUri } = await aCode(t.kt, t.client, t.person, { pkce: false });
      await expect(exchangeCode(t.kt, t.client, { code, redirectUri, codeVerifier: 'a'.repeat(43) })).rejects.toMatchObject(
        refusal('invalid_grant', 'code_verifier sent for a code issued without code_challenge'),
      );
    });
  });
});

describe('exchangeCode once the person is gone', () => {
  const t = useDomainContext({ database: 'file' });

  it('refuses the code of a person who was removed after signing in', async () => {
    const { code, redirectUri } = await aCode(t.kt, t.client, t.person);
    t.removePerson(t.person.user.id);
    await expect(exchangeCode(t.kt, t.client, { code, redirectUri })).rejects.toMatchObject(refusal('invalid_grant', 'the account no longer exists'));
  });
});
