/**
 * SQL-ish strings in every parameter, cookie and header, on both backends: each is answered
 * with a 4xx or a normal refusal that leaks nothing, signs nobody in and drops nothing.
 */
import { describe, expect, it } from 'vitest';
import { Browser } from '../test-support/browser.js';
import { aClient, basic, REDIRECT } from '../test-support/clients.js';
import { testBackends } from '../test-support/databases.js';
import { postForm } from '../test-support/endpoints.js';
import { raw } from '../test-support/http.js';
import { leakIn } from '../test-support/leaks.js';
import { signInTokens } from '../test-support/oauth.js';
import { endpoint, PATHS } from '../test-support/paths.js';
import { aPerson, PASSWORD } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

const SQLISH = ["' OR 1=1--", "' OR '1'='1", '" OR ""="', "1; DROP TABLE users;--", "') UNION SELECT password_hash FROM users--", "\\'; SELECT pg_sleep(5);--", '%27%20OR%201%3D1', "admin'/*"];

for (const backend of testBackends()) {
  describe(`SQL-ish strings in every parameter (${backend})`, () => {

    const f = useServer({ backend, config: { loginSlowAfter: 1000, loginLockAfter: 1000, clientAuthLockAfter: 1000 } }, async (s) => {
      const ada = await aPerson(s);
      const client = await aClient(s);
      const browser = await Browser.signedIn(s, ada);
      return { ada, client, browser };
    });

    it('answers 4xx (or a normal refusal) without a leak, signs nobody in and drops nothing', async () => {
      const { s, ada, client, browser } = f;
      const answers: Array<{ what: string; status: number; text: string }> = [];
      /** Records an answer minus the echo of our own input (escaped on pages, encoded in URLs), which is no leak. */
      let x = '';
      const note = (what: string, status: number, text: string) => {
        const echoes = [x, x.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`), encodeURIComponent(x), new URLSearchParams({ v: x }).toString().slice(2)];
        answers.push({ what, status, text: echoes.reduce((t, e) => t.split(e).join('<input>'), text) });
      };
      const signInForm = new Browser(s);
      for (x of SQLISH) {
        for (const [email, password] of [[x, x], [`${x}@example.com`, 'whatever'], [ada.email, x], [`${ada.email}${x}`, PASSWORD], [`${ada.email}'--`, 'x']]) {
          const res = await signInForm.signIn(email!, password!);
          note(`sign-in ${email}`, res.status, res.body + JSON.stringify(res.headers));
          expect(signInForm.npsso).toBeUndefined();
        }
        const authzParams = { client_id: client.id, redirect_uri: REDIRECT, response_type: 'code', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' };
        for (const params of <Array<Record<string, string>>>[{ ...authzParams, client_id: x }, { ...authzParams, redirect_uri: x }, { ...authzParams, scope: x }, { ...authzParams, state: x }, { ...authzParams, nonce: x }, { ...authzParams, code_challenge: x }, { ...authzParams, response_type: x }]) {
          const res = await browser.get(`${PATHS.authorize}?${new URLSearchParams(params).toString()}`);
          note(`authorize ${JSON.stringify(params)}`, res.status, res.body + JSON.stringify(res.headers));
          if (res.status === 302 && params.state === x) expect(new URL(String(res.headers.location)).searchParams.get('state')).toBe(x);
        }
        const forms: Array<['token' | 'introspect' | 'revoke', Record<string, string>, string | undefined]> = [
          ['token', { grant_type: 'authorization_code', code: x, redirect_uri: x, code_verifier: x }, client.auth],
          ['token', { grant_type: 'refresh_token', refresh_token: x, scope: x }, client.auth],
          ['token', { grant_type: x }, client.auth],
          ['token', { grant_type: 'refresh_token', refresh_token: x, client_id: x, client_secret: x }, undefined],
          ['token', { grant_type: 'refresh_token', refresh_token: x }, basic(x, x)],
          ['introspect', { token: x, token_type_hint: x }, client.auth],
          ['introspect', { token: `${x}.${x}.${x}` }, client.auth],
          ['revoke', { token: x, token_type_hint: x }, client.auth],
          ['revoke', { token: x, client_id: x }, undefined],
        ];
        for (const [name, form, auth] of forms) {
          const res = await postForm(s, name, form, auth);
          note(`${PATHS[name]} ${JSON.stringify(form)}`, res.status, res.text + JSON.stringify(Object.fromEntries(res.headers)));
          if (name === 'introspect' && res.status === 200) expect(JSON.parse(res.text)).toEqual({ active: false });
        }
        for (const path of [PATHS.ssoCookie, '/account', '/']) {
          const res = await raw(s.url + path, { headers: { cookie: `npsso=${encodeURIComponent(x)}` } });
          note(`${path} npsso=${x}`, res.status, res.body);
          expect(res.body).not.toContain(ada.email);
        }
        const userinfo = await raw(endpoint(s, 'userinfo'), { headers: { authorization: `Bearer ${x}` } });
        note(`userinfo ${x}`, userinfo.status, userinfo.body);
      }
      for (const { what, status, text } of answers) {
        expect({ what, serverError: status >= 500 }).toEqual({ what, serverError: false });
        expect({ what, leak: leakIn(text) }).toEqual({ what, leak: null });
        expect(text).not.toMatch(/password_hash|\$argon2/);
      }
      // Nothing dropped or changed: the account still signs in, the client still authenticates.
      expect((await new Browser(s).signIn(ada.email, PASSWORD)).status).toBe(303);
      expect((await signInTokens(s, browser.npsso!, client)).access_token).toMatch(/^ey/);
    });
  });
}
