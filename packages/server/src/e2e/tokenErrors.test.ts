/**
 * The token endpoint: client authentication (Basic, form, none + PKCE), each RFC 6749 error
 * with its status, expiry on a controlled clock, and the claims of the ID and access tokens
 * checked against the published JWKS, for RS256, ES256 and EdDSA.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningAlg } from '../config.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { authorize, basic, codeFrom, pkcePair, tokenRequest } from './lib.js';

const WEB = { id: 'web-app', secret: 'web-app-secret-0123456789', redirect: 'https://app.example/callback' };
const OTHER = { id: 'other-app', secret: 'other-app-secret-0123456789', redirect: 'https://other.example/cb' };
const MOBILE = { id: 'mobile-app', redirect: 'com.example.app:/cb' };

describe('the token endpoint', () => {
  let s: TestServer;
  let npsso: string;
  const clock = { ms: Date.UTC(2031, 5, 1, 12) };

  beforeAll(async () => {
    s = await startTestServer({ now: () => clock.ms });
    await s.addUser('ada@example.com', 'correct horse battery', 'Ada Lovelace');
    await s.addClient({ id: WEB.id, secret: WEB.secret, redirectUris: [WEB.redirect], scope: 'openid email profile offline_access' });
    await s.addClient({ id: OTHER.id, secret: OTHER.secret, redirectUris: [OTHER.redirect], scope: 'openid' });
    await s.addClient({ id: MOBILE.id, public: true, redirectUris: [MOBILE.redirect], scope: 'openid offline_access' });
    npsso = await s.signIn('ada@example.com', 'correct horse battery');
  });
  afterAll(() => s.close());

  async function webCode(extra: Record<string, string> = {}): Promise<string> {
    const { location } = await authorize(s.url, npsso, { client_id: WEB.id, redirect_uri: WEB.redirect, response_type: 'code', scope: 'openid', access_type: 'offline', ...extra });
    return codeFrom(location);
  }

  it('authenticates a client by HTTP Basic', async () => {
    const res = await tokenRequest(s.url, { grant_type: 'authorization_code', code: await webCode(), redirect_uri: WEB.redirect }, basic(WEB.id, WEB.secret));
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('openid');
  });

  it('authenticates a client by client_id and client_secret in the form', async () => {
    const res = await tokenRequest(s.url, { grant_type: 'authorization_code', code: await webCode(), redirect_uri: WEB.redirect, client_id: WEB.id, client_secret: WEB.secret });
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('lets a public client in with PKCE and no secret, and refuses it a secret', async () => {
    const { verifier, challenge } = pkcePair();
    const { location } = await authorize(s.url, npsso, { client_id: MOBILE.id, redirect_uri: MOBILE.redirect, response_type: 'code', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    const code = codeFrom(location);
    const withSecret = await tokenRequest(s.url, { grant_type: 'authorization_code', redirect_uri: MOBILE.redirect, code, client_id: MOBILE.id, client_secret: 'made-up-secret-0123456', code_verifier: verifier });
    expect(withSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const res = await tokenRequest(s.url, { grant_type: 'authorization_code', redirect_uri: MOBILE.redirect, code, client_id: MOBILE.id, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.body.access_token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('answers invalid_client with 401 and WWW-Authenticate for bad Basic credentials', async () => {
    for (const auth of [basic(WEB.id, 'wrong-secret-0123456789'), basic('nobody', WEB.secret), 'Basic !!!notbase64', 'Basic ' + Buffer.from('no-colon').toString('base64')]) {
      const res = await tokenRequest(s.url, { grant_type: 'authorization_code', code: 'v3.x' }, auth);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="keyturn"/);
    }
  });

  it('answers invalid_client with 401 for a wrong form secret or no credentials at all', async () => {
    const wrong = await tokenRequest(s.url, { grant_type: 'authorization_code', code: 'v3.x', client_id: WEB.id, client_secret: 'wrong-secret-0123456789' });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const none = await tokenRequest(s.url, { grant_type: 'authorization_code', code: 'v3.x' });
    expect(none).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    // A confidential client may not leave out its secret.
    const noSecret = await tokenRequest(s.url, { grant_type: 'authorization_code', code: 'v3.x', client_id: WEB.id });
    expect(noSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('answers unsupported_grant_type for a grant it does not offer, and invalid_request without one', async () => {
    for (const grant_type of ['password', 'client_credentials', 'implicit', 'urn:ietf:params:oauth:grant-type:device_code']) {
      const res = await tokenRequest(s.url, { grant_type, username: 'ada@example.com', password: 'x' }, basic(WEB.id, WEB.secret));
      expect(res).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    }
    const missing = await tokenRequest(s.url, { code: 'v3.x' }, basic(WEB.id, WEB.secret));
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('refuses a code exchange without redirect_uri when the authorization request had one (RFC 6749 4.1.3)', async () => {
    const res = await tokenRequest(s.url, { grant_type: 'authorization_code', code: await webCode() }, basic(WEB.id, WEB.secret));
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(res.body.error_description).toMatch(/redirect_uri is required/);
  });

  it('lets the token request leave redirect_uri out when the authorization request did too', async () => {
    const { location } = await authorize(s.url, npsso, { client_id: WEB.id, response_type: 'code', scope: 'openid' });
    expect(location?.startsWith(`${WEB.redirect}?code=`)).toBe(true);
    const res = await tokenRequest(s.url, { grant_type: 'authorization_code', code: codeFrom(location) }, basic(WEB.id, WEB.secret));
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('openid');
  });

  it('refuses a code with a different redirect_uri', async () => {
    const res = await tokenRequest(s.url, { grant_type: 'authorization_code', code: await webCode(), redirect_uri: `${WEB.redirect}/` }, basic(WEB.id, WEB.secret));
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'redirect_uri does not match the authorization request' } });
  });

  it("answers another client's refresh token exactly as an unknown one, so it learns nothing", async () => {
    const issued = await tokenRequest(s.url, { grant_type: 'authorization_code', redirect_uri: WEB.redirect, code: await webCode() }, basic(WEB.id, WEB.secret));
    const foreign = await tokenRequest(s.url, { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token as string }, basic(OTHER.id, OTHER.secret));
    const unknown = await tokenRequest(s.url, { grant_type: 'refresh_token', refresh_token: 'x'.repeat(43) }, basic(OTHER.id, OTHER.secret));
    expect(foreign.status).toBe(400);
    expect(foreign.body).toEqual(unknown.body);
    expect(foreign.body).toEqual({ error: 'invalid_grant', error_description: 'the refresh token is invalid' });
  });

  it('refuses a code issued to another client', async () => {
    const res = await tokenRequest(s.url, { grant_type: 'authorization_code', code: await webCode(), redirect_uri: WEB.redirect }, basic(OTHER.id, OTHER.secret));
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'the authorization code is invalid' } });
  });

  it('refuses a code presented after its 60 seconds', async () => {
    const code = await webCode();
    clock.ms += 61_000;
    const res = await tokenRequest(s.url, { grant_type: 'authorization_code', redirect_uri: WEB.redirect, code }, basic(WEB.id, WEB.secret));
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'the authorization code has expired' } });
    const fresh = await webCode();
    clock.ms += 59_000;
    expect((await tokenRequest(s.url, { grant_type: 'authorization_code', redirect_uri: WEB.redirect, code: fresh }, basic(WEB.id, WEB.secret))).status).toBe(200);
  });

  it('refuses a wrong or missing PKCE verifier', async () => {
    const { challenge } = pkcePair();
    const other = pkcePair();
    const code = await webCode({ code_challenge: challenge, code_challenge_method: 'S256' });
    const wrong = await tokenRequest(s.url, { grant_type: 'authorization_code', redirect_uri: WEB.redirect, code, code_verifier: other.verifier }, basic(WEB.id, WEB.secret));
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'code_verifier does not match the code challenge' } });
    const code2 = await webCode({ code_challenge: challenge, code_challenge_method: 'S256' });
    const missing = await tokenRequest(s.url, { grant_type: 'authorization_code', redirect_uri: WEB.redirect, code: code2 }, basic(WEB.id, WEB.secret));
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'code_verifier is required' } });
    // A verifier for a code issued without a challenge: a downgrade attempt.
    const code3 = await webCode();
    const downgrade = await tokenRequest(s.url, { grant_type: 'authorization_code', redirect_uri: WEB.redirect, code: code3, code_verifier: other.verifier }, basic(WEB.id, WEB.secret));
    expect(downgrade).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('marks every answer, success or error, Cache-Control: no-store', async () => {
    const ok = await tokenRequest(s.url, { grant_type: 'authorization_code', redirect_uri: WEB.redirect, code: await webCode() }, basic(WEB.id, WEB.secret));
    const bad = await tokenRequest(s.url, { grant_type: 'authorization_code', code: 'v3.nope' }, basic(WEB.id, WEB.secret));
    const unauth = await tokenRequest(s.url, { grant_type: 'authorization_code', code: 'v3.nope' }, basic(WEB.id, 'nope-nope-nope-nope'));
    for (const res of [ok, bad, unauth]) expect(res.headers.get('cache-control')).toBe('no-store');
    expect(ok.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('includes an ID token for scope openid or token_format=jwt, and none otherwise', async () => {
    const cases: Array<[Record<string, string>, Record<string, string>, boolean]> = [
      [{ scope: 'openid' }, {}, true],
      [{ scope: 'email offline_access' }, { token_format: 'jwt' }, true],
      [{ scope: 'email offline_access' }, {}, false],
    ];
    for (const [authz, token, withId] of cases) {
      const code = await webCode(authz);
      const res = await tokenRequest(s.url, { grant_type: 'authorization_code', redirect_uri: WEB.redirect, code, ...token }, basic(WEB.id, WEB.secret));
      expect(res.status).toBe(200);
      if (withId) expect(res.body.id_token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
      else expect(res.body).not.toHaveProperty('id_token');
      const refreshed = await tokenRequest(s.url, { grant_type: 'refresh_token', refresh_token: res.body.refresh_token as string, ...token }, basic(WEB.id, WEB.secret));
      expect(refreshed.status).toBe(200);
      if (withId) expect(refreshed.body.id_token).toMatch(/^ey/);
      else expect(refreshed.body).not.toHaveProperty('id_token');
    }
  });
});

for (const alg of ['RS256', 'ES256', 'EdDSA'] as SigningAlg[]) {
  describe(`tokens signed with ${alg}`, () => {
    let s: TestServer;
    let npsso: string;
    let userId: string;
    beforeAll(async () => {
      s = await startTestServer({ config: { signingAlg: alg } });
      userId = (await s.addUser('ada@example.com', 'correct horse battery', 'Ada Lovelace')).id;
      await s.addClient({ id: WEB.id, secret: WEB.secret, redirectUris: [WEB.redirect], scope: 'openid email profile offline_access' });
      npsso = await s.signIn('ada@example.com', 'correct horse battery');
    });
    afterAll(() => s.close());

    it('publishes the key with its alg and signs ID and access tokens that verify against the JWKS', async () => {
      const jwksBody = (await (await fetch(`${s.url}/api/authz/v3/oauth/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
      expect(jwksBody.keys).toHaveLength(1);
      const [key] = jwksBody.keys;
      expect(key).toMatchObject({ alg, use: 'sig', kty: alg === 'RS256' ? 'RSA' : alg === 'ES256' ? 'EC' : 'OKP' });
      expect(key).not.toHaveProperty('d');
      const discovery = (await (await fetch(`${s.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(discovery.id_token_signing_alg_values_supported).toEqual([alg]);

      const before = Math.floor(Date.now() / 1000);
      const { location } = await authorize(s.url, npsso, { client_id: WEB.id, redirect_uri: WEB.redirect, response_type: 'code', scope: 'openid email offline_access', nonce: 'nonce-123' });
      const res = await tokenRequest(s.url, { grant_type: 'authorization_code', redirect_uri: WEB.redirect, code: codeFrom(location) }, basic(WEB.id, WEB.secret));
      expect(res.status).toBe(200);
      const jwks = createLocalJWKSet(jwksBody as never);
      const accessToken = res.body.access_token as string;
      const idToken = res.body.id_token as string;

      expect(decodeProtectedHeader(accessToken)).toEqual({ alg, kid: key!.kid, typ: 'at+jwt' });
      const at = await jwtVerify(accessToken, jwks, { algorithms: [alg], issuer: s.issuer, audience: WEB.id, typ: 'at+jwt' });
      expect(Object.keys(at.payload).sort()).toEqual(['aud', 'auth_time', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sid', 'sub']);
      expect(at.payload).toMatchObject({ iss: s.issuer, sub: userId, aud: WEB.id, client_id: WEB.id, scope: 'openid email offline_access' });
      expect(at.payload.iat!).toBeGreaterThanOrEqual(before);
      expect(at.payload.exp).toBe(at.payload.iat! + 3600);
      expect(at.payload.jti).toMatch(/^[0-9a-f-]{36}$/);

      expect(decodeProtectedHeader(idToken)).toMatchObject({ alg, kid: key!.kid });
      const id = await jwtVerify(idToken, jwks, { algorithms: [alg], issuer: s.issuer, audience: WEB.id });
      const hash = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256').update(accessToken).digest();
      expect(id.payload).toMatchObject({
        iss: s.issuer,
        sub: userId,
        aud: WEB.id,
        azp: WEB.id,
        nonce: 'nonce-123',
        email: 'ada@example.com',
        email_verified: false,
        at_hash: hash.subarray(0, hash.length / 2).toString('base64url'),
      });
      expect(id.payload.exp).toBe(id.payload.iat! + 3600);
      expect(id.payload.auth_time!).toBeLessThanOrEqual(id.payload.iat!);
      expect(id.payload.auth_time!).toBeGreaterThanOrEqual(before - 5);
      // Scope profile was not asked for: no name.
      expect(id.payload).not.toHaveProperty('name');

      // Verifying with another algorithm must fail: the alg is pinned.
      const wrongAlg = alg === 'RS256' ? 'ES256' : 'RS256';
      await expect(jwtVerify(accessToken, jwks, { algorithms: [wrongAlg] })).rejects.toThrow();
    });
  });
}
