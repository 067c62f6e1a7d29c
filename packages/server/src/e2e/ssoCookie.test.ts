/**
 * The SSO cookie (npsso) under attack, from the outside: a signed-out, guessed or planted
 * npsso is refused everywhere, sign-in replaces a fixated one, and every cookie the server
 * sets is HttpOnly, SameSite and scoped to the path.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addresses, Browser } from '../test-support/browser.js';
import { aClient, REDIRECT } from '../test-support/clients.js';
import { raw, type Answer } from '../test-support/http.js';
import { signInTokens } from '../test-support/oauth.js';
import { PATHS } from '../test-support/paths.js';
import { aPerson, PASSWORD } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('SSO sessions and cookies', () => {
  const address = addresses();

  const f = useServer({}, async (s) => {
    const ada = await aPerson(s, { name: 'Ada' });
    const eve = await aPerson(s, { name: 'Eve' });
    const app = await aClient(s, { id: 'app' });
    return { ada, eve, app };
  });

  it('refuses the npsso of a signed-out session everywhere', async () => {
    const { s, ada } = f;
    const browser = await Browser.signedIn(s, ada, { from: address() });
    const npsso = browser.npsso!;
    const csrf = await browser.csrf('/account');
    expect((await browser.post('/signout', { csrf })).status).toBe(303);
    await expectRefusedNpsso(npsso);
  });

  it('refuses guessed, truncated, padded and look-alike npsso values', async () => {
    const { s, ada } = f;
    const browser = await Browser.signedIn(s, ada, { from: address() });
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
    const sso = await raw(f.s.url + PATHS.ssoCookie, { headers: cookie });
    expect({ npsso, status: sso.status }).toEqual({ npsso, status: 401 });
    expect(JSON.parse(sso.body)).toMatchObject({ error: 'login_required' });
    const account = await raw(`${f.s.url}/account`, { headers: cookie });
    expect(account.status).toBe(302);
    expect(String(account.headers.location)).toMatch(/^\/signin\?/);
    const authz = await raw(`${f.s.url}${PATHS.authorize}?${new URLSearchParams({ client_id: 'app', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256', prompt: 'none' }).toString()}`, { headers: cookie });
    expect(authz.status).toBe(302);
    expect(new URL(String(authz.headers.location)).searchParams.get('error')).toBe('login_required');
  }

  it('replaces an npsso cookie planted by an attacker on sign-in (session fixation)', async () => {
    const { s, ada, eve } = f;
    const attacker = new Browser(s, { from: address() });
    await attacker.signIn(eve.email, PASSWORD);
    const planted = attacker.npsso!;
    for (const fixated of [planted, randomBytes(48).toString('base64url')]) {
      const victimBrowser = new Browser(s, { from: address() });
      victimBrowser.jar.set('npsso', fixated);
      const res = await victimBrowser.signIn(ada.email, PASSWORD);
      expect(res.status).toBe(303);
      const issued = victimBrowser.npsso!;
      expect(issued).toMatch(/^[A-Za-z0-9_-]{64}$/);
      expect(issued).not.toBe(fixated);
      // The planted value did not become the victim's session.
      const who = await raw(`${s.url}/`, { headers: { cookie: `npsso=${fixated}` } });
      expect(who.body).not.toContain(ada.email);
      expect((await raw(`${s.url}/`, { headers: { cookie: `npsso=${issued}` } })).body).toContain(ada.email);
    }
  });

  it('marks every cookie it sets HttpOnly, SameSite and with a Path', async () => {
    const { s, ada, app } = f;
    const browser = new Browser(s, { from: address() });
    const lines: string[] = [];
    const collect = (a: Answer) => lines.push(...(a.headers['set-cookie'] ?? []));
    collect(await browser.get('/signin'));
    collect(await browser.signIn(ada.email, PASSWORD));
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
