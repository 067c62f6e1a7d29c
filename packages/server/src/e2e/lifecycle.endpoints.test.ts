import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { basic } from './lib.js';
import { PASSWORD, introspect, manualClock, postForm, refresh, registerClient, revoke, signInTokens, userinfo, verifyJwt, type TestClient } from './test-support/lifecycle.js';

const REVOKE = '/api/authz/v3/oauth/revoke';
const INTROSPECT = '/api/authz/v3/oauth/introspect';
const USERINFO = '/api/authz/v3/oauth/userinfo';

describe('revocation, introspection and userinfo', () => {
  const clock = manualClock();
  let s: TestServer;
  let npsso: string;
  let app: TestClient;
  let other: TestClient;
  let pub: TestClient;
  let userId: string;

  beforeAll(async () => {
    s = await startTestServer({ now: clock.now });
    userId = (await s.addUser('ada@example.com', PASSWORD, 'Ada Lovelace')).id;
    app = await registerClient(s, 'app');
    other = await registerClient(s, 'other');
    pub = await registerClient(s, 'pub', { public: true });
    npsso = await s.signIn('ada@example.com', PASSWORD);
  });
  afterAll(() => s.close());

  it('advertises the three endpoints and their client authentication methods in both metadata documents', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const meta = (await (await fetch(`${s.url}${path}`)).json()) as Record<string, unknown>;
      expect(meta).toMatchObject({
        revocation_endpoint: `${s.issuer}${REVOKE}`,
        introspection_endpoint: `${s.issuer}${INTROSPECT}`,
        userinfo_endpoint: `${s.issuer}${USERINFO}`,
        revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      });
    }
  });

  describe('introspection (RFC 7662)', () => {
    it('describes a live access token with its claims', async () => {
      const t = await signInTokens(s, npsso, app);
      const claims = await verifyJwt(s, t.access_token, 'at+jwt', clock.date());
      expect(await introspect(s, app, t.access_token)).toEqual({
        active: true,
        scope: 'openid profile email',
        client_id: 'app',
        sub: userId,
        exp: claims.exp,
        iat: claims.iat,
        iss: s.issuer,
        token_type: 'Bearer',
        jti: claims.jti,
        aud: 'app',
        auth_time: claims.auth_time,
      });
    });

    it('describes a live refresh token until its grant ends', async () => {
      const t = await signInTokens(s, npsso, app);
      const answer = await introspect(s, app, t.refresh_token, { token_type_hint: 'refresh_token' });
      expect(answer).toMatchObject({ active: true, scope: 'openid profile email', client_id: 'app', sub: userId, iss: s.issuer });
      expect(answer.exp).toBe(Math.floor(clock.now() / 1000) + 60 * 86_400);
      expect(answer.iat).toBe(Math.floor(clock.now() / 1000));
      await revoke(s, app, t.refresh_token);
      expect(await introspect(s, app, t.refresh_token)).toEqual({ active: false });
    });

    it('says only active:false for unknown, malformed, expired and foreign tokens', async () => {
      const t = await signInTokens(s, npsso, app);
      expect(await introspect(s, app, 'no-such-token')).toEqual({ active: false });
      expect(await introspect(s, app, 'a.b.c')).toEqual({ active: false });
      expect(await introspect(s, app, 'x'.repeat(10_000))).toEqual({ active: false });
      expect(await introspect(s, other, t.access_token)).toEqual({ active: false });
      expect(await introspect(s, other, t.refresh_token)).toEqual({ active: false });
      clock.advance(3_600_000);
      expect(await introspect(s, app, t.access_token)).toEqual({ active: false });
      expect(await introspect(s, app, t.refresh_token)).toMatchObject({ active: true });
    });

    it('refuses callers that do not authenticate as a client with 401 invalid_client', async () => {
      const t = await signInTokens(s, npsso, app);
      for (const [form, auth] of [
        [{ token: t.access_token }, undefined],
        [{ token: t.access_token }, basic('app', 'wrong-secret-wrong-secret')],
        [{ token: t.access_token, client_id: 'app' }, undefined],
        [{ token: t.access_token, client_id: 'nobody' }, undefined],
      ] as const) {
        const res = await postForm(s, INTROSPECT, form, auth);
        expect(res.status).toBe(401);
        expect(JSON.parse(res.text)).toMatchObject({ error: 'invalid_client' });
      }
      const ok = await postForm(s, INTROSPECT, { token: t.access_token, client_id: 'app', client_secret: app.secret! });
      expect(JSON.parse(ok.text)).toMatchObject({ active: true, client_id: 'app' });
    });

    it('answers 400 invalid_request without a token', async () => {
      const res = await postForm(s, INTROSPECT, {}, app.auth);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ error: 'invalid_request' });
    });
  });

  describe('revocation (RFC 7009)', () => {
    it('ends the whole family when a refresh token is revoked: refresh, its access tokens, userinfo', async () => {
      const t = await signInTokens(s, npsso, app);
      const refreshed = await refresh(s, app, t.refresh_token);
      const res = await revoke(s, app, t.refresh_token, { token_type_hint: 'refresh_token' });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await refresh(s, app, t.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      for (const at of [t.access_token, refreshed.body.access_token as string]) {
        expect(await introspect(s, app, at)).toEqual({ active: false });
        expect((await userinfo(s, at)).status).toBe(401);
      }
    });

    it('revokes a single access token by its jti and leaves the rest of the family alive', async () => {
      const t = await signInTokens(s, npsso, app);
      const refreshed = await refresh(s, app, t.refresh_token);
      const res = await revoke(s, app, t.access_token, { token_type_hint: 'access_token' });
      expect(res.status).toBe(200);
      expect(await introspect(s, app, t.access_token)).toEqual({ active: false });
      expect((await userinfo(s, t.access_token)).status).toBe(401);
      const jti = (await verifyJwt(s, t.access_token, 'at+jwt', clock.date())).jti!;
      expect(await s.kt.repo.isAccessTokenRevoked(jti)).toBe(true);
      expect(await introspect(s, app, refreshed.body.access_token as string)).toMatchObject({ active: true });
      expect((await refresh(s, app, t.refresh_token)).status).toBe(200);
    });

    it('answers 200 for unknown and invalid tokens, and ignores unsupported hints', async () => {
      for (const [token, hint] of [['no-such-token', 'refresh_token'], ['a.b.c', 'access_token'], ['x'.repeat(9000), undefined], ['whatever', 'id_token']] as const) {
        const res = await revoke(s, app, token, hint ? { token_type_hint: hint } : {});
        expect(res.status).toBe(200);
      }
      const t = await signInTokens(s, npsso, app);
      // A wrong or unknown hint does not stop the revocation.
      expect((await revoke(s, app, t.refresh_token, { token_type_hint: 'access_token' })).status).toBe(200);
      expect(await introspect(s, app, t.refresh_token)).toEqual({ active: false });
      const u = await signInTokens(s, npsso, app);
      expect((await revoke(s, app, u.access_token, { token_type_hint: 'something_else' })).status).toBe(200);
      expect(await introspect(s, app, u.access_token)).toEqual({ active: false });
    });

    it("answers 200 for another client's tokens without revoking them", async () => {
      const t = await signInTokens(s, npsso, app);
      expect((await revoke(s, other, t.refresh_token)).status).toBe(200);
      expect((await revoke(s, other, t.access_token)).status).toBe(200);
      expect((await revoke(s, pub, t.refresh_token)).status).toBe(200);
      expect(await introspect(s, app, t.refresh_token)).toMatchObject({ active: true });
      expect(await introspect(s, app, t.access_token)).toMatchObject({ active: true });
      expect((await refresh(s, app, t.refresh_token)).status).toBe(200);
    });

    it('lets a public client revoke its own tokens with only client_id', async () => {
      const t = await signInTokens(s, npsso, pub);
      expect((await revoke(s, pub, t.refresh_token)).status).toBe(200);
      expect(await refresh(s, pub, t.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    });

    it('requires client authentication (401 invalid_client) and a token (400 invalid_request)', async () => {
      const t = await signInTokens(s, npsso, app);
      const anonymous = await postForm(s, REVOKE, { token: t.refresh_token });
      expect(anonymous.status).toBe(401);
      expect(JSON.parse(anonymous.text)).toMatchObject({ error: 'invalid_client' });
      const wrong = await postForm(s, REVOKE, { token: t.refresh_token }, basic('app', 'wrong-secret-wrong-secret'));
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(await introspect(s, app, t.refresh_token)).toMatchObject({ active: true });
      const missing = await postForm(s, REVOKE, {}, app.auth);
      expect(missing.status).toBe(400);
      expect(JSON.parse(missing.text)).toMatchObject({ error: 'invalid_request' });
    });
  });

  describe('userinfo (OIDC Core 5.3, RFC 6750)', () => {
    it('answers sub, email and name by scope, with GET and with POST', async () => {
      const t = await signInTokens(s, npsso, app);
      expect(await userinfo(s, t.access_token)).toMatchObject({
        status: 200,
        body: { sub: userId, email: 'ada@example.com', email_verified: false, name: 'Ada Lovelace' },
      });
      const post = await fetch(`${s.url}${USERINFO}`, { method: 'POST', headers: { authorization: `Bearer ${t.access_token}` } });
      expect(await post.json()).toEqual({ sub: userId, email: 'ada@example.com', email_verified: false, name: 'Ada Lovelace' });
      const form = await postForm(s, USERINFO, { access_token: t.access_token });
      expect(form.status).toBe(200);
      expect(JSON.parse(form.text)).toEqual({ sub: userId, email: 'ada@example.com', email_verified: false, name: 'Ada Lovelace' });
    });

    it('answers only sub with scope openid alone', async () => {
      const t = await signInTokens(s, npsso, app, { scope: 'openid' });
      expect(await userinfo(s, t.access_token)).toEqual({ status: 200, body: { sub: userId }, challenge: null });
    });

    it('challenges a request without a token with a realm and no error code', async () => {
      const res = await fetch(`${s.url}${USERINFO}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="keyturn"');
      const other = await fetch(`${s.url}${USERINFO}`, { headers: { authorization: basic('app', app.secret!) } });
      expect(other.status).toBe(401);
      expect(other.headers.get('www-authenticate')).toBe('Bearer realm="keyturn"');
    });

    it('answers invalid_token for forged, expired and revoked tokens', async () => {
      const t = await signInTokens(s, npsso, app);
      const [h, p] = t.access_token.split('.');
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'someone-else' })).toString('base64url')}.${t.access_token.split('.')[2]}`;
      for (const token of ['garbage', forged]) {
        const res = await userinfo(s, token);
        expect(res.status).toBe(401);
        expect(res.challenge).toMatch(/^Bearer realm="keyturn", error="invalid_token"/);
        expect(res.body).toMatchObject({ error: 'invalid_token' });
      }
      clock.advance(3_600_000);
      expect((await userinfo(s, t.access_token)).challenge).toMatch(/error="invalid_token"/);
    });

    it('answers 403 insufficient_scope for an access token without openid', async () => {
      const noOpenid = await registerClient(s, 'api-only', { scope: 'email offline_access' });
      const t = await signInTokens(s, npsso, noOpenid, { scope: 'email' });
      const res = await userinfo(s, t.access_token);
      expect(res.status).toBe(403);
      expect(res.challenge).toMatch(/^Bearer realm="keyturn", error="insufficient_scope".*scope="openid"/);
    });

    it('refuses a token sent in the header and the body at once (RFC 6750 2)', async () => {
      const t = await signInTokens(s, npsso, app);
      const res = await postForm(s, USERINFO, { access_token: t.access_token }, `Bearer ${t.access_token}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
    });
  });
});
