/**
 * The token endpoint as a whole: which grants it offers, that no answer is ever cached, and
 * when an answer carries an ID token. (Each grant's rules: codeExchange, refreshGrant and
 * refreshRotation; client authentication: clientAuth.)
 */
import { describe, expect, it } from 'vitest';
import { aClient, basic } from '../test-support/clients.js';
import { authorize, codeFrom, refresh, tokenRequest } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('the token endpoint', () => {

  const f = useServer({}, async (s) => {
    const web = await aClient(s, { scope: 'openid email profile offline_access' });
    const npsso = await (await aPerson(s)).signIn();
    return { npsso, web };
  });

  async function webCode(extra: Record<string, string> = {}): Promise<string> {
    const { location } = await authorize(f.s, f.npsso, { client_id: f.web.id, redirect_uri: f.web.redirectUri, response_type: 'code', scope: 'openid', access_type: 'offline', ...extra });
    return codeFrom(location);
  }

  it('answers unsupported_grant_type for a grant it does not offer, and invalid_request without one', async () => {
    const { s, web } = f;
    for (const grant_type of ['password', 'client_credentials', 'implicit', 'urn:ietf:params:oauth:grant-type:jwt-bearer']) {
      const res = await tokenRequest(s, { grant_type, username: 'ada@example.com', password: 'x' }, web.auth);
      expect(res).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    }
    const missing = await tokenRequest(s, { code: 'v3.x' }, web.auth);
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('marks every answer, success or error, Cache-Control: no-store', async () => {
    const { s, web } = f;
    const ok = await tokenRequest(s, { grant_type: 'authorization_code', redirect_uri: web.redirectUri, code: await webCode() }, web.auth);
    const bad = await tokenRequest(s, { grant_type: 'authorization_code', code: 'v3.nope' }, web.auth);
    const unauth = await tokenRequest(s, { grant_type: 'authorization_code', code: 'v3.nope' }, basic(web.id, 'nope-nope-nope-nope'));
    for (const res of [ok, bad, unauth]) expect(res.headers.get('cache-control')).toBe('no-store');
    expect(ok.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('includes an ID token for scope openid or token_format=jwt, and none otherwise', async () => {
    const { s, web } = f;
    const cases: Array<[Record<string, string>, Record<string, string>, boolean]> = [
      [{ scope: 'openid' }, {}, true],
      [{ scope: 'email offline_access' }, { token_format: 'jwt' }, true],
      [{ scope: 'email offline_access' }, {}, false],
    ];
    for (const [authz, token, withId] of cases) {
      const code = await webCode(authz);
      const res = await tokenRequest(s, { grant_type: 'authorization_code', redirect_uri: web.redirectUri, code, ...token }, web.auth);
      expect(res.status).toBe(200);
      if (withId) expect(res.body.id_token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
      else expect(res.body).not.toHaveProperty('id_token');
      const refreshed = await refresh(s, web, res.body.refresh_token as string, token);
      expect(refreshed.status).toBe(200);
      if (withId) expect(refreshed.body.id_token).toMatch(/^ey/);
      else expect(refreshed.body).not.toHaveProperty('id_token');
    }
  });
});
