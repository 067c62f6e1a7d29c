/**
 * Attacks on the browser side, from the outside: open redirects after sign-in and at the
 * authorization endpoint, cross-site request forgery on every form, stolen, ended, guessed and
 * fixated SSO cookies, and the attributes of every cookie the server sets.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { Browser, raw, setCookieLine, type Answer } from './test-support/attacks.js';
import { PASSWORD, REDIRECT, refresh, registerClient, signInTokens, type TestClient } from './test-support/lifecycle.js';

const AUTHORIZE = '/api/authz/v3/oauth/authorize';

describe('attacks on the web pages', () => {
  let s: TestServer;
  let app: TestClient;
  let origin: string;
  /** Each test plays its own machine, so failed attempts of one never throttle another. */
  let nextAddress = 10;
  const address = () => `127.0.4.${nextAddress++}`;

  beforeAll(async () => {
    s = await startTestServer();
    origin = new URL(s.url).origin;
    await s.addUser('ada@example.com', PASSWORD, 'Ada');
    await s.addUser('eve@example.com', PASSWORD, 'Eve');
    app = await registerClient(s, 'app');
    await s.addClient({ id: 'web', secret: 'web-secret-0123456789', redirectUris: ['https://good.example/cb', 'https://good.example/cb2'], scope: 'openid email' });
  });
  afterAll(() => s.close());

  /** Where a browser goes with this Location header, as an origin. */
  const landsOn = (a: Answer) => new URL(String(a.headers.location), s.url).origin;

  describe('open redirects', () => {
    it('never sends the browser off-site after sign-in, whatever return_to says', async () => {
      const evil = ['//evil.example', '//evil.example/x', '/\\evil.example', '\\\\evil.example', 'https://evil.example', 'http:evil.example', 'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' //evil.example', '/%2F%2Fevil.example', '/%5Cevil.example', '/..//evil.example', '/\t/evil.example', 'data:text/html,<script>alert(1)</script>'];
      const browser = new Browser(s.url, address());
      for (const returnTo of evil) {
        // On the form (GET) and on the POST.
        const form = await browser.get(`/signin?${new URLSearchParams({ return_to: returnTo }).toString()}`);
        expect(form.status).toBe(200);
        const res = await browser.signIn('ada@example.com', PASSWORD, { return_to: returnTo });
        expect({ returnTo, status: res.status, origin: landsOn(res) }).toEqual({ returnTo, status: 303, origin });
        // What survives must be a plain same-origin path.
        expect(String(res.headers.location)).toMatch(/^\/(?![/\\])/);
      }
    });

    it('never redirects to a redirect_uri that is not registered exactly, even for a signed-in person', async () => {
      const browser = new Browser(s.url, address());
      expect((await browser.signIn('ada@example.com', PASSWORD)).status).toBe(303);
      const misses = [
        'https://GOOD.example/cb',
        'https://good.example/CB',
        'https://good.example/cb/',
        'https://good.example/cb?x=1',
        'https://good.example/cb?',
        'https://good.example/cb#',
        'https://good.example/cb#frag',
        'https://good.example@evil.example/cb',
        'https://good.example%40evil.example/cb',
        'https://evil.example/cb?https://good.example/cb',
        'https://good.example.evil.example/cb',
        'https://good.example:443/cb',
        'https://good.example/cb/../cb',
        'https://good.example/cb%2F..%2Fevil',
        ' https://good.example/cb',
        'https://good.example/cb ',
        '//evil.example/cb',
        'javascript:alert(1)//https://good.example/cb',
      ];
      for (const redirect_uri of misses) {
        // With a request that is otherwise valid, one that would send an error back (bad scope), and prompt=none.
        for (const extra of [{ scope: 'openid' }, { scope: 'admin' }, { scope: 'openid', prompt: 'none' }, { response_type: 'token' }] as Array<Record<string, string>>) {
          const query = new URLSearchParams({ client_id: 'web', redirect_uri, response_type: 'code', state: 'st', ...extra });
          const res = await browser.get(`${AUTHORIZE}?${query.toString()}`);
          expect({ redirect_uri, extra, status: res.status, location: res.headers.location }).toEqual({ redirect_uri, extra, status: 400, location: undefined });
          expect(res.body).toContain('Unregistered redirect URI');
        }
      }
      // The registered one still works (the refusals above are not an accident of the setup).
      const ok = await browser.get(`${AUTHORIZE}?${new URLSearchParams({ client_id: 'web', redirect_uri: 'https://good.example/cb', response_type: 'code', scope: 'openid', state: 'st' }).toString()}`);
      expect(ok.status).toBe(302);
      expect(String(ok.headers.location)).toMatch(/^https:\/\/good\.example\/cb\?code=v3\./);
    });

    it('encodes CR/LF in state into the Location header instead of splitting the response', async () => {
      const browser = new Browser(s.url, address());
      await browser.signIn('ada@example.com', PASSWORD);
      const state = 'x\r\nSet-Cookie: pwned=1\r\n\r\n<script>alert(1)</script>';
      const query = new URLSearchParams({ client_id: 'web', redirect_uri: 'https://good.example/cb', response_type: 'code', scope: 'openid', state });
      for (const q of [query, new URLSearchParams({ ...Object.fromEntries(query), scope: 'admin' })]) {
        const res = await browser.get(`${AUTHORIZE}?${q.toString()}`);
        expect(res.status).toBe(302);
        const location = String(res.headers.location);
        expect(location).not.toMatch(/[\r\n]/);
        expect(new URL(location).searchParams.get('state')).toBe(state);
        expect(res.headers['set-cookie'] ?? []).not.toContainEqual(expect.stringContaining('pwned'));
      }
    });
  });

  describe('cross-site request forgery', () => {
    /** A victim signed in with a live grant, plus a refresh token to check the grant still works. */
    async function victim() {
      const browser = new Browser(s.url, address());
      expect((await browser.signIn('ada@example.com', PASSWORD)).status).toBe(303);
      const tokens = await signInTokens(s, browser.npsso!, app);
      const attacker = new Browser(s.url, address());
      const attackerToken = await attacker.csrf('/signin');
      return { browser, tokens, attackerToken };
    }

    /** The forged form fields; `seed` is the victim's own CSRF cookie (a naive double-submit check would take it). */
    const forgeries = (attackerToken: string, seed: string): Array<[string, Record<string, string>]> => [
      ['no token', {}],
      ['an empty token', { csrf: '' }],
      ['a wrong token', { csrf: randomBytes(32).toString('base64url') }],
      ["another browser's token", { csrf: attackerToken }],
      ['the CSRF cookie value itself', { csrf: seed }],
    ];

    it('refuses a sign-in without, with a wrong, or with another browser’s CSRF token (login CSRF)', async () => {
      const attacker = new Browser(s.url, address());
      const token = await attacker.csrf('/signin');
      const victimBrowser = new Browser(s.url, address());
      await victimBrowser.get('/signin'); // has its own CSRF cookie
      for (const [what, fields] of forgeries(token, victimBrowser.jar.get('kt_csrf')!)) {
        const res = await victimBrowser.post('/signin', { email: 'eve@example.com', password: PASSWORD, ...fields });
        expect({ what, status: res.status, npsso: setCookieLine(res, 'npsso') }).toEqual({ what, status: 403, npsso: undefined });
      }
      // A cross-site POST carries no cookies of ours at all (SameSite): refused too.
      const bare = await raw(`${s.url}/signin`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: 'eve@example.com', password: PASSWORD, csrf: token }).toString() });
      expect(bare.status).toBe(403);
      expect(setCookieLine(bare, 'npsso')).toBeUndefined();
    });

    it('refuses a forged sign-out and keeps the session', async () => {
      const { browser, attackerToken } = await victim();
      for (const [what, fields] of forgeries(attackerToken, browser.jar.get('kt_csrf')!)) {
        const res = await browser.post('/signout', fields);
        expect({ what, status: res.status }).toEqual({ what, status: 403 });
      }
      expect((await browser.get('/api/v1/ssocookie')).status).toBe(200);
    });

    it('refuses a forged revoke of one grant or of all grants on the account page, and the grant keeps working', async () => {
      const { browser, tokens, attackerToken } = await victim();
      const account = await browser.get('/account');
      const grantId = /data-grant="([^"]+)"/.exec(account.body)?.[1];
      expect(grantId).toMatch(/^[A-Za-z0-9_-]+$/);
      for (const path of [`/account/sessions/${grantId}/revoke`, '/account/sessions/revoke-all']) {
        for (const [what, fields] of forgeries(attackerToken, browser.jar.get('kt_csrf')!)) {
          const res = await browser.post(path, fields);
          expect({ path, what, status: res.status }).toEqual({ path, what, status: 403 });
        }
      }
      expect((await refresh(s, app, tokens.refresh_token)).status).toBe(200);
      expect((await browser.get('/account')).body).toContain(`data-grant="${grantId}"`);
    });

    it('sets the CSRF cookie HttpOnly and SameSite, and its form token is not the cookie value', async () => {
      const browser = new Browser(s.url, address());
      const page = await browser.get('/signin');
      const line = setCookieLine(page, 'kt_csrf')!;
      expect(line).toMatch(/; HttpOnly/i);
      expect(line).toMatch(/; SameSite=(Lax|Strict)/i);
      expect(line).toMatch(/; Path=\//i);
      expect(page.body).not.toContain(browser.jar.get('kt_csrf')!);
    });
  });

  describe('Host header poisoning and cross-origin reads', () => {
    it('takes the issuer and every redirect from its configuration, never from Host or X-Forwarded-Host', async () => {
      const forged = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
      for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
        const res = await raw(s.url + path, { headers: forged });
        expect(res.status).toBe(200);
        expect(res.body).not.toContain('evil.example');
        expect(JSON.parse(res.body).issuer).toBe(s.issuer);
      }
      const toSignIn = await raw(`${s.url}${AUTHORIZE}?${new URLSearchParams({ client_id: 'web', redirect_uri: 'https://good.example/cb', response_type: 'code', scope: 'openid' }).toString()}`, { headers: forged });
      expect(String(toSignIn.headers.location)).toMatch(/^\/signin\?return_to=/);
      const browser = new Browser(s.url, address());
      await browser.signIn('ada@example.com', PASSWORD);
      const back = await browser.get(`${AUTHORIZE}?${new URLSearchParams({ client_id: 'web', redirect_uri: 'https://good.example/cb', response_type: 'code', scope: 'openid' }).toString()}`, forged);
      expect(new URL(String(back.headers.location)).searchParams.get('iss')).toBe(s.issuer);
      const signedIn = await browser.signIn('ada@example.com', PASSWORD, { return_to: '/account' });
      expect(signedIn.headers.location).toBe('/account');
    });

    it('grants no cross-origin read of the npsso, tokens or user info (no CORS headers for a foreign Origin)', async () => {
      const browser = new Browser(s.url, address());
      await browser.signIn('ada@example.com', PASSWORD);
      const origin = { origin: 'https://evil.example' };
      const answers = [
        await browser.get('/api/v1/ssocookie', origin),
        await browser.get('/account', origin),
        await raw(`${s.url}/api/authz/v3/oauth/userinfo`, { headers: { ...origin, authorization: 'Bearer x.y.z' } }),
        await raw(`${s.url}/api/authz/v3/oauth/token`, { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'POST' } }),
        await raw(`${s.url}/api/v1/ssocookie`, { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'cookie' } }),
      ];
      for (const a of answers) {
        expect(Object.keys(a.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      }
    });
  });

  describe('SSO sessions and cookies', () => {
    it('refuses the npsso of a signed-out session everywhere', async () => {
      const browser = new Browser(s.url, address());
      await browser.signIn('ada@example.com', PASSWORD);
      const npsso = browser.npsso!;
      const csrf = await browser.csrf('/account');
      expect((await browser.post('/signout', { csrf })).status).toBe(303);
      await expectRefusedNpsso(npsso);
    });

    it('refuses guessed, truncated, padded and look-alike npsso values', async () => {
      const browser = new Browser(s.url, address());
      await browser.signIn('ada@example.com', PASSWORD);
      const real = browser.npsso!;
      const guesses = [
        randomBytes(48).toString('base64url'),
        real.slice(0, 63),
        `${real}A`,
        `${real.slice(0, 63)}${real[63] === 'A' ? 'B' : 'A'}`,
        real.toUpperCase() === real ? real.toLowerCase() : real.toUpperCase(),
        'A'.repeat(64),
        '',
        'x'.repeat(4000),
      ];
      for (const guess of guesses) await expectRefusedNpsso(guess);
    });

    async function expectRefusedNpsso(npsso: string) {
      const cookie = { cookie: `npsso=${npsso}` };
      const sso = await raw(`${s.url}/api/v1/ssocookie`, { headers: cookie });
      expect({ npsso, status: sso.status }).toEqual({ npsso, status: 401 });
      expect(JSON.parse(sso.body)).toMatchObject({ error: 'login_required' });
      const account = await raw(`${s.url}/account`, { headers: cookie });
      expect(account.status).toBe(302);
      expect(String(account.headers.location)).toMatch(/^\/signin\?/);
      const authz = await raw(`${s.url}${AUTHORIZE}?${new URLSearchParams({ client_id: 'app', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256', prompt: 'none' }).toString()}`, { headers: cookie });
      expect(authz.status).toBe(302);
      expect(new URL(String(authz.headers.location)).searchParams.get('error')).toBe('login_required');
    }

    it('replaces an npsso cookie planted by an attacker on sign-in (session fixation)', async () => {
      const attacker = new Browser(s.url, address());
      await attacker.signIn('eve@example.com', PASSWORD);
      const planted = attacker.npsso!;
      for (const fixated of [planted, randomBytes(48).toString('base64url')]) {
        const victimBrowser = new Browser(s.url, address());
        victimBrowser.jar.set('npsso', fixated);
        const res = await victimBrowser.signIn('ada@example.com', PASSWORD);
        expect(res.status).toBe(303);
        const issued = victimBrowser.npsso!;
        expect(issued).toMatch(/^[A-Za-z0-9_-]{64}$/);
        expect(issued).not.toBe(fixated);
        // The planted value did not become the victim's session.
        const who = await raw(`${s.url}/`, { headers: { cookie: `npsso=${fixated}` } });
        expect(who.body).not.toContain('ada@example.com');
        expect((await raw(`${s.url}/`, { headers: { cookie: `npsso=${issued}` } })).body).toContain('ada@example.com');
      }
    });

    it('marks every cookie it sets HttpOnly, SameSite and with a Path', async () => {
      const browser = new Browser(s.url, address());
      const lines: string[] = [];
      const collect = (a: Answer) => lines.push(...(a.headers['set-cookie'] ?? []));
      collect(await browser.get('/signin'));
      collect(await browser.signIn('ada@example.com', PASSWORD));
      await signInTokens(s, browser.npsso!, app);
      const account = await browser.get('/account');
      collect(account);
      const csrf = /name="csrf" value="([^"]+)"/.exec(account.body)![1]!;
      collect(await browser.post('/account/sessions/revoke-all', { csrf }));
      collect(await browser.get('/account'));
      collect(await browser.post('/signout', { csrf }));
      const names = new Set(lines.map((l) => l.split('=')[0]));
      expect([...names].sort()).toEqual(['kt_csrf', 'kt_notice', 'npsso']);
      for (const line of lines) {
        expect(line).toMatch(/; HttpOnly/i);
        expect(line).toMatch(/; SameSite=(Lax|Strict)/i);
        expect(line).toMatch(/; Path=\//i);
        expect(line).not.toMatch(/; Domain=/i);
      }
    });
  });
});
