/** The userinfo endpoint (OIDC Core 5.3, RFC 6750): claims by scope, and the bearer challenges of every refusal. */
import { describe, expect, it } from 'vitest';
import { aClient, basic } from '../test-support/clients.js';
import { frozenClock, HOUR } from '../test-support/clock.js';
import { postForm, userinfo } from '../test-support/endpoints.js';
import { signInTokens } from '../test-support/oauth.js';
import { endpoint } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('userinfo (OIDC Core 5.3, RFC 6750)', () => {
  const clock = frozenClock();
  const f = useServer({ now: clock.now }, async (s) => {
    const ada = await aPerson(s, { name: 'Ada Lovelace' });
    const app = await aClient(s);
    const npsso = await ada.signIn();
    return { ada, npsso, app };
  });

  it('answers sub, email and name by scope, with GET and with POST', async () => {
    const { s, ada, npsso, app } = f;
    const t = await signInTokens(s, npsso, app);
    const claims = { sub: ada.id, email: ada.email, email_verified: false, name: 'Ada Lovelace' };
    expect(await userinfo(s, t.access_token)).toMatchObject({ status: 200, body: claims });
    const post = await fetch(endpoint(s, 'userinfo'), { method: 'POST', headers: { authorization: `Bearer ${t.access_token}` } });
    expect(await post.json()).toEqual(claims);
    const form = await postForm(s, 'userinfo', { access_token: t.access_token });
    expect(form.status).toBe(200);
    expect(JSON.parse(form.text)).toEqual(claims);
  });

  it('answers only sub with scope openid alone', async () => {
    const { s, ada, npsso, app } = f;
    const t = await signInTokens(s, npsso, app, { scope: 'openid' });
    expect(await userinfo(s, t.access_token)).toEqual({ status: 200, body: { sub: ada.id }, challenge: null });
  });

  it('challenges a request without a token with a realm and no error code', async () => {
    const { s, app } = f;
    const res = await fetch(endpoint(s, 'userinfo'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="keyturn"');
    const other = await fetch(endpoint(s, 'userinfo'), { headers: { authorization: basic(app.id, app.secret!) } });
    expect(other.status).toBe(401);
    expect(other.headers.get('www-authenticate')).toBe('Bearer realm="keyturn"');
  });

  it('answers invalid_token for forged, expired and revoked tokens', async () => {
    const { s, npsso, app } = f;
    const t = await signInTokens(s, npsso, app);
    const [h, p] = t.access_token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'someone-else' })).toString('base64url')}.${t.access_token.split('.')[2]}`;
    for (const token of ['garbage', forged]) {
      const res = await userinfo(s, token);
      expect(res.status).toBe(401);
      expect(res.challenge).toMatch(/^Bearer realm="keyturn", error="invalid_token"/);
      expect(res.body).toMatchObject({ error: 'invalid_token' });
    }
    clock.advance(HOUR);
    expect((await userinfo(s, t.access_token)).challenge).toMatch(/error="invalid_token"/);
  });

  it('answers 403 insufficient_scope for an access token without openid', async () => {
    const { s, npsso } = f;
    const noOpenid = await aClient(s, { scope: 'email offline_access' });
    const t = await signInTokens(s, npsso, noOpenid, { scope: 'email' });
    const res = await userinfo(s, t.access_token);
    expect(res.status).toBe(403);
    expect(res.challenge).toMatch(/^Bearer realm="keyturn", error="insufficient_scope".*scope="openid"/);
  });

  it('refuses a token sent in the header and the body at once (RFC 6750 2)', async () => {
    const { s, npsso, app } = f;
    const t = await signInTokens(s, npsso, app);
    const res = await postForm(s, 'userinfo', { access_token: t.access_token }, `Bearer ${t.access_token}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
  });
});
