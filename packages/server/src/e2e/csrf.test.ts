/**
 * Cross-site request forgery, from the outside: every form (sign-in, sign-out, revoking one or
 * all grants) refuses a missing, wrong or foreign CSRF token, and the CSRF cookie is safe.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addresses, Browser } from '../test-support/browser.js';
import { aClient } from '../test-support/clients.js';
import { raw, setCookieLine } from '../test-support/http.js';
import { refresh, signInTokens } from '../test-support/oauth.js';
import { PATHS } from '../test-support/paths.js';
import { aPerson, PASSWORD } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('cross-site request forgery', () => {
  const address = addresses();

  const f = useServer({}, async (s) => {
    const ada = await aPerson(s, { name: 'Ada' });
    const eve = await aPerson(s, { name: 'Eve' });
    const app = await aClient(s);
    return { ada, eve, app };
  });

  /** A victim signed in with a live grant, plus a refresh token to check the grant still works. */
  async function victim() {
    const browser = await Browser.signedIn(f.s, f.ada, { from: address() });
    const tokens = await signInTokens(f.s, browser.npsso!, f.app);
    const attacker = new Browser(f.s, { from: address() });
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
    const { s, eve } = f;
    const attacker = new Browser(s, { from: address() });
    const token = await attacker.csrf('/signin');
    const victimBrowser = new Browser(s, { from: address() });
    await victimBrowser.get('/signin'); // has its own CSRF cookie
    for (const [what, fields] of forgeries(token, victimBrowser.jar.get('kt_csrf')!)) {
      const res = await victimBrowser.post('/signin', { email: eve.email, password: PASSWORD, ...fields });
      expect({ what, status: res.status, npsso: setCookieLine(res, 'npsso') }).toEqual({ what, status: 403, npsso: undefined });
    }
    // A cross-site POST carries no cookies of ours at all (SameSite): refused too.
    const bare = await raw(`${s.url}/signin`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: eve.email, password: PASSWORD, csrf: token }).toString() });
    expect(bare.status).toBe(403);
    expect(setCookieLine(bare, 'npsso')).toBeUndefined();
  });

  it('refuses a forged sign-out and keeps the session', async () => {
    const { browser, attackerToken } = await victim();
    for (const [what, fields] of forgeries(attackerToken, browser.jar.get('kt_csrf')!)) {
      const res = await browser.post('/signout', fields);
      expect({ what, status: res.status }).toEqual({ what, status: 403 });
    }
    expect((await browser.get(PATHS.ssoCookie)).status).toBe(200);
  });

  it('refuses a forged revoke of one grant or of all grants on the account page, and the grant keeps working', async () => {
    const { s, app } = f;
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
    const { s } = f;
    const browser = new Browser(s, { from: address() });
    const page = await browser.get('/signin');
    const line = setCookieLine(page, 'kt_csrf')!;
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; SameSite=(Lax|Strict)/i);
    expect(line).toMatch(/; Path=\//i);
    expect(page.body).not.toContain(browser.jar.get('kt_csrf')!);
  });
});
