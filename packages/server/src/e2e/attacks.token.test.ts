/**
 * Attacks on the token endpoint and its neighbours, from the outside: tokens and codes of
 * one client presented by another, client authentication tricks, answers that would tell an
 * attacker which client ids exist, and SQL-ish strings in every parameter (both backends).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeClient } from '../domain/clients.js';
import { testBackends } from '../test-support/databases.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { authorize, basic, codeFrom, pkcePair, tokenRequest } from './lib.js';
import { Browser, FORM, leakIn, raw } from './test-support/attacks.js';
import { PASSWORD, REDIRECT, introspect, postForm, refresh, registerClient, signInTokens, type TestClient } from './test-support/lifecycle.js';

const TOKEN = '/api/authz/v3/oauth/token';
const INTROSPECT = '/api/authz/v3/oauth/introspect';
const REVOKE = '/api/authz/v3/oauth/revoke';

describe('attacks on the token endpoint', () => {
  let s: TestServer;
  let npsso: string;
  let a: TestClient;
  let b: TestClient;
  let rotating: TestClient;
  let pub: TestClient;

  beforeAll(async () => {
    // Many wrong secrets from one address here: the limit on them has its own tests (attacks.clientAuth).
    s = await startTestServer({ config: { clientAuthLockAfter: 1000 } });
    await s.addUser('ada@example.com', PASSWORD);
    [a, b, rotating, pub] = await Promise.all([
      registerClient(s, 'client-a'),
      registerClient(s, 'client-b'),
      registerClient(s, 'client-rot', { refreshPolicy: 'rotate' }),
      registerClient(s, 'client-pub', { public: true }),
    ]);
    npsso = await s.signIn('ada@example.com', PASSWORD);
  });
  afterAll(() => s.close());

  it("refuses client A's refresh token to client B, and A's token keeps working, rotating or not", async () => {
    for (const owner of [a, rotating, pub]) {
      const tokens = await signInTokens(s, npsso, owner);
      for (const thief of [a, b, pub].filter((c) => c !== owner)) {
        const res = await refresh(s, thief, tokens.refresh_token);
        expect({ owner: owner.id, thief: thief.id, status: res.status, error: res.body.error }).toEqual({ owner: owner.id, thief: thief.id, status: 400, error: 'invalid_grant' });
        expect(res.body.access_token).toBeUndefined();
        // Neither introspection nor revocation by the thief does anything to it.
        expect(await introspect(s, thief, tokens.refresh_token)).toEqual({ active: false });
        expect(await introspect(s, thief, tokens.access_token)).toEqual({ active: false });
        expect((await postForm(s, REVOKE, { token: tokens.refresh_token, ...thief.form }, thief.auth)).status).toBe(200);
      }
      // The theft attempts did not spend a rotating token nor revoke the family.
      const again = await refresh(s, owner, tokens.refresh_token);
      expect({ owner: owner.id, status: again.status }).toEqual({ owner: owner.id, status: 200 });
      expect(await introspect(s, owner, tokens.access_token)).toMatchObject({ active: true, client_id: owner.id });
    }
  });

  it("refuses client A's authorization code to client B and issues B nothing", async () => {
    const { verifier, challenge } = pkcePair();
    const { location } = await authorize(s.url, npsso, { client_id: a.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', access_type: 'offline', code_challenge: challenge, code_challenge_method: 'S256' });
    const code = codeFrom(location);
    for (const thief of [b, pub]) {
      const res = await tokenRequest(s.url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier, ...thief.form }, thief.auth);
      expect({ thief: thief.id, status: res.status, error: res.body.error, token: res.body.access_token }).toEqual({ thief: thief.id, status: 400, error: 'invalid_grant', token: undefined });
    }
  });

  it('refuses a public client that makes up a secret, and a confidential client without its secret', async () => {
    const madeUp = 'made-up-secret-0123456789';
    for (const [what, form, auth] of [
      ['public, Basic', {}, basic(pub.id, madeUp)],
      ['public, form secret', { client_id: pub.id, client_secret: madeUp }, undefined],
      ['confidential, id only', { client_id: a.id }, undefined],
      ['confidential, empty form secret', { client_id: a.id, client_secret: '' }, undefined],
      ['confidential, Basic with empty secret', {}, basic(a.id, '')],
      ['confidential, Basic id only', {}, `Basic ${Buffer.from(a.id).toString('base64')}`],
    ] as Array<[string, Record<string, string>, string | undefined]>) {
      const res = await tokenRequest(s.url, { grant_type: 'refresh_token', refresh_token: 'x', ...form }, auth);
      expect({ what, status: res.status, error: res.body.error }).toEqual({ what, status: 401, error: 'invalid_client' });
    }
  });

  it('gives a wrong secret and an unknown client id the same answer at token, introspection and revocation', async () => {
    for (const path of [TOKEN, INTROSPECT, REVOKE]) {
      const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', token: 'x' }).toString();
      const answers = [];
      for (const auth of [basic(a.id, 'wrong-secret-0123456789'), basic('no-such-client', 'wrong-secret-0123456789'), basic("' OR 1=1--", 'wrong-secret-0123456789')]) {
        const res = await raw(s.url + path, { method: 'POST', headers: { ...FORM, authorization: auth }, body });
        answers.push({ status: res.status, body: res.body, challenge: res.headers['www-authenticate'], type: res.headers['content-type'] });
      }
      for (const form of [{ client_id: a.id, client_secret: 'wrong-secret-0123456789' }, { client_id: 'no-such-client', client_secret: 'wrong-secret-0123456789' }]) {
        const res = await raw(s.url + path, { method: 'POST', headers: FORM, body: `${body}&${new URLSearchParams(form).toString()}` });
        answers.push({ status: res.status, body: res.body, challenge: undefined, type: res.headers['content-type'] });
      }
      const expected = { status: 401, body: JSON.stringify({ error: 'invalid_client', error_description: 'client authentication failed' }), type: 'application/json; charset=utf-8' };
      expect(answers).toEqual([
        { ...expected, challenge: 'Basic realm="keyturn", charset="UTF-8"' },
        { ...expected, challenge: 'Basic realm="keyturn", charset="UTF-8"' },
        { ...expected, challenge: 'Basic realm="keyturn", charset="UTF-8"' },
        { ...expected, challenge: undefined },
        { ...expected, challenge: undefined },
      ]);
    }
  });

  it('kills the tokens of a removed client, even when someone registers its id again', async () => {
    const doomed = await registerClient(s, 'client-doomed');
    const tokens = await signInTokens(s, npsso, doomed);
    await removeClient(s.kt, doomed.id); // what `keyturn client remove` does
    const squatter = await registerClient(s, 'client-doomed');
    expect((await refresh(s, squatter, tokens.refresh_token)).body.error).toBe('invalid_grant');
    expect(await introspect(s, squatter, tokens.access_token)).toEqual({ active: false });
    const info = await raw(`${s.url}/api/authz/v3/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(401);
  });

  it('answers a brute force of secrets the same way for a real and an unknown client id', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      for (const id of [a.id, `guess-${i}`]) {
        const res = await tokenRequest(s.url, { grant_type: 'refresh_token', refresh_token: 'x' }, basic(id, `guess-secret-${i}-0123456789`));
        seen.add(`${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect([...seen]).toEqual(['401 {"error":"invalid_client","error_description":"client authentication failed"}']);
  });
});

const SQLISH = ["' OR 1=1--", "' OR '1'='1", '" OR ""="', "1; DROP TABLE users;--", "') UNION SELECT password_hash FROM users--", "\\'; SELECT pg_sleep(5);--", '%27%20OR%201%3D1', "admin'/*"];

for (const backend of testBackends()) {
  describe(`SQL-ish strings in every parameter (${backend})`, () => {
    let s: TestServer;
    let client: TestClient;
    let browser: Browser;

    beforeAll(async () => {
      s = await startTestServer({ backend, config: { loginSlowAfter: 1000, loginLockAfter: 1000, clientAuthLockAfter: 1000 } });
      await s.addUser('ada@example.com', PASSWORD);
      client = await registerClient(s, 'client-a');
      browser = new Browser(s.url);
      expect((await browser.signIn('ada@example.com', PASSWORD)).status).toBe(303);
    });
    afterAll(() => s?.close());

    it('answers 4xx (or a normal refusal) without a leak, signs nobody in and drops nothing', async () => {
      const answers: Array<{ what: string; status: number; text: string }> = [];
      /** Records an answer minus the echo of our own input (escaped on pages, encoded in URLs), which is no leak. */
      let x = '';
      const note = (what: string, status: number, text: string) => {
        const echoes = [x, x.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`), encodeURIComponent(x), new URLSearchParams({ v: x }).toString().slice(2)];
        answers.push({ what, status, text: echoes.reduce((t, e) => t.split(e).join('<input>'), text) });
      };
      const signInForm = new Browser(s.url);
      for (x of SQLISH) {
        for (const [email, password] of [[x, x], [`${x}@example.com`, 'whatever'], ['ada@example.com', x], [`ada@example.com${x}`, PASSWORD], [`ada@example.com'--`, 'x']]) {
          const res = await signInForm.signIn(email!, password!);
          note(`sign-in ${email}`, res.status, res.body + JSON.stringify(res.headers));
          expect(signInForm.npsso).toBeUndefined();
        }
        const authzParams = { client_id: client.id, redirect_uri: REDIRECT, response_type: 'code', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' };
        for (const params of <Array<Record<string, string>>>[{ ...authzParams, client_id: x }, { ...authzParams, redirect_uri: x }, { ...authzParams, scope: x }, { ...authzParams, state: x }, { ...authzParams, nonce: x }, { ...authzParams, code_challenge: x }, { ...authzParams, response_type: x }]) {
          const res = await browser.get(`/api/authz/v3/oauth/authorize?${new URLSearchParams(params).toString()}`);
          note(`authorize ${JSON.stringify(params)}`, res.status, res.body + JSON.stringify(res.headers));
          if (res.status === 302 && params.state === x) expect(new URL(String(res.headers.location)).searchParams.get('state')).toBe(x);
        }
        const forms: Array<[string, Record<string, string>, string | undefined]> = [
          [TOKEN, { grant_type: 'authorization_code', code: x, redirect_uri: x, code_verifier: x }, client.auth],
          [TOKEN, { grant_type: 'refresh_token', refresh_token: x, scope: x }, client.auth],
          [TOKEN, { grant_type: x }, client.auth],
          [TOKEN, { grant_type: 'refresh_token', refresh_token: x, client_id: x, client_secret: x }, undefined],
          [TOKEN, { grant_type: 'refresh_token', refresh_token: x }, basic(x, x)],
          [INTROSPECT, { token: x, token_type_hint: x }, client.auth],
          [INTROSPECT, { token: `${x}.${x}.${x}` }, client.auth],
          [REVOKE, { token: x, token_type_hint: x }, client.auth],
          [REVOKE, { token: x, client_id: x }, undefined],
        ];
        for (const [path, form, auth] of forms) {
          const res = await postForm(s, path, form, auth);
          note(`${path} ${JSON.stringify(form)}`, res.status, res.text + JSON.stringify(Object.fromEntries(res.headers)));
          if (path === INTROSPECT && res.status === 200) expect(JSON.parse(res.text)).toEqual({ active: false });
        }
        for (const path of ['/api/v1/ssocookie', '/account', '/']) {
          const res = await raw(s.url + path, { headers: { cookie: `npsso=${encodeURIComponent(x)}` } });
          note(`${path} npsso=${x}`, res.status, res.body);
          expect(res.body).not.toContain('ada@example.com');
        }
        const userinfo = await raw(`${s.url}/api/authz/v3/oauth/userinfo`, { headers: { authorization: `Bearer ${x}` } });
        note(`userinfo ${x}`, userinfo.status, userinfo.body);
      }
      for (const { what, status, text } of answers) {
        expect({ what, serverError: status >= 500 }).toEqual({ what, serverError: false });
        expect({ what, leak: leakIn(text) }).toEqual({ what, leak: null });
        expect(text).not.toMatch(/password_hash|\$argon2/);
      }
      // Nothing dropped or changed: the account still signs in, the client still authenticates.
      expect((await new Browser(s.url).signIn('ada@example.com', PASSWORD)).status).toBe(303);
      expect((await signInTokens(s, browser.npsso!, client)).access_token).toMatch(/^ey/);
    });
  });
}
