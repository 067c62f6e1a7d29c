/**
 * Client authentication at the token endpoint and its neighbours: HTTP Basic, form fields, or
 * none with PKCE for a public client; every failure is one 401 invalid_client that tells an
 * attacker nothing about which client ids exist. (The limit on wrong secrets: clientAuthLimits.)
 */
import { describe, expect, it } from 'vitest';
import { aClient, basic } from '../test-support/clients.js';
import { FORM, raw } from '../test-support/http.js';
import { authorize, codeFrom, pkcePair, tokenRequest } from '../test-support/oauth.js';
import { endpoint } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('client authentication', () => {

  // Many wrong secrets from one address here: the limit on them has its own tests (clientAuthLimits).
  const f = useServer({ config: { clientAuthLockAfter: 1000 } }, async (s) => {
    const web = await aClient(s, { scope: 'openid email profile offline_access' });
    const mobile = await aClient(s, { public: true, redirectUri: 'com.example.app:/cb', scope: 'openid offline_access' });
    const npsso = await (await aPerson(s)).signIn();
    return { npsso, web, mobile };
  });

  async function webCode(): Promise<string> {
    const { location } = await authorize(f.s, f.npsso, { client_id: f.web.id, redirect_uri: f.web.redirectUri, response_type: 'code', scope: 'openid', access_type: 'offline' });
    return codeFrom(location);
  }
  const wrongSecret = 'wrong-secret-0123456789';

  it('authenticates a client by HTTP Basic', async () => {
    const { s, web } = f;
    const res = await tokenRequest(s, { grant_type: 'authorization_code', code: await webCode(), redirect_uri: web.redirectUri }, web.auth);
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('openid');
  });

  it('authenticates a client by client_id and client_secret in the form', async () => {
    const { s, web } = f;
    const res = await tokenRequest(s, { grant_type: 'authorization_code', code: await webCode(), redirect_uri: web.redirectUri, client_id: web.id, client_secret: web.secret! });
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('lets a public client in with PKCE and no secret, and refuses it a secret', async () => {
    const { s, npsso, mobile } = f;
    const { verifier, challenge } = pkcePair();
    const { location } = await authorize(s, npsso, { client_id: mobile.id, redirect_uri: mobile.redirectUri, response_type: 'code', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    const code = codeFrom(location);
    const exchange = { grant_type: 'authorization_code', redirect_uri: mobile.redirectUri, code, client_id: mobile.id, code_verifier: verifier };
    const withSecret = await tokenRequest(s, { ...exchange, client_secret: 'made-up-secret-0123456' });
    expect(withSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const res = await tokenRequest(s, exchange);
    expect(res.status).toBe(200);
    expect(res.body.access_token).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('answers invalid_client with 401 and WWW-Authenticate for bad Basic credentials', async () => {
    const { s, web } = f;
    for (const auth of [basic(web.id, wrongSecret), basic('nobody', web.secret!), 'Basic !!!notbase64', 'Basic ' + Buffer.from('no-colon').toString('base64')]) {
      const res = await tokenRequest(s, { grant_type: 'authorization_code', code: 'v3.x' }, auth);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="keyturn"/);
    }
  });

  it('answers invalid_client with 401 for a wrong form secret or no credentials at all', async () => {
    const { s, web } = f;
    const wrong = await tokenRequest(s, { grant_type: 'authorization_code', code: 'v3.x', client_id: web.id, client_secret: wrongSecret });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const none = await tokenRequest(s, { grant_type: 'authorization_code', code: 'v3.x' });
    expect(none).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    // A confidential client may not leave out its secret.
    const noSecret = await tokenRequest(s, { grant_type: 'authorization_code', code: 'v3.x', client_id: web.id });
    expect(noSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('refuses a public client that makes up a secret, and a confidential client without its secret', async () => {
    const { s, web, mobile } = f;
    const madeUp = 'made-up-secret-0123456789';
    for (const [what, form, auth] of [
      ['public, Basic', {}, basic(mobile.id, madeUp)],
      ['public, form secret', { client_id: mobile.id, client_secret: madeUp }, undefined],
      ['confidential, id only', { client_id: web.id }, undefined],
      ['confidential, empty form secret', { client_id: web.id, client_secret: '' }, undefined],
      ['confidential, Basic with empty secret', {}, basic(web.id, '')],
      ['confidential, Basic id only', {}, `Basic ${Buffer.from(web.id).toString('base64')}`],
    ] as Array<[string, Record<string, string>, string | undefined]>) {
      const res = await tokenRequest(s, { grant_type: 'refresh_token', refresh_token: 'x', ...form }, auth);
      expect({ what, status: res.status, error: res.body.error }).toEqual({ what, status: 401, error: 'invalid_client' });
    }
  });

  it('gives a wrong secret and an unknown client id the same answer at token, introspection and revocation', async () => {
    const { s, web } = f;
    for (const name of ['token', 'introspect', 'revoke'] as const) {
      const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', token: 'x' }).toString();
      const answers = [];
      for (const auth of [basic(web.id, wrongSecret), basic('no-such-client', wrongSecret), basic("' OR 1=1--", wrongSecret)]) {
        const res = await raw(endpoint(s, name), { method: 'POST', headers: { ...FORM, authorization: auth }, body });
        answers.push({ status: res.status, body: res.body, challenge: res.headers['www-authenticate'], type: res.headers['content-type'] });
      }
      for (const form of [{ client_id: web.id, client_secret: wrongSecret }, { client_id: 'no-such-client', client_secret: wrongSecret }]) {
        const res = await raw(endpoint(s, name), { method: 'POST', headers: FORM, body: `${body}&${new URLSearchParams(form).toString()}` });
        answers.push({ status: res.status, body: res.body, challenge: undefined, type: res.headers['content-type'] });
      }
      const expected = { status: 401, body: JSON.stringify({ error: 'invalid_client', error_description: 'client authentication failed' }), type: 'application/json; charset=utf-8' };
      const challenged = { ...expected, challenge: 'Basic realm="keyturn", charset="UTF-8"' };
      expect(answers).toEqual([challenged, challenged, challenged, { ...expected, challenge: undefined }, { ...expected, challenge: undefined }]);
    }
  });

  it('answers a brute force of secrets the same way for a real and an unknown client id', async () => {
    const { s, web } = f;
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      for (const id of [web.id, `guess-${i}`]) {
        const res = await tokenRequest(s, { grant_type: 'refresh_token', refresh_token: 'x' }, basic(id, `guess-secret-${i}-0123456789`));
        seen.add(`${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect([...seen]).toEqual(['401 {"error":"invalid_client","error_description":"client authentication failed"}']);
  });
});
