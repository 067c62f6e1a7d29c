/** Signing out with the form of the page header: it ends this browser's SSO session, and only that one. */
import { describe, expect, it } from 'vitest';
import { aClient, REDIRECT } from '../test-support/clients.js';
import { ssoCookie } from '../test-support/endpoints.js';
import { cookieValue } from '../test-support/http.js';
import { authorize } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('sign-out', () => {

  const f = useServer({}, async (s) => {
    const ada = await aPerson(s);
    const app = await aClient(s);
    const authorizeParams = { client_id: app.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid' };
    return { ada, authorizeParams };
  });

  /** What the browser has after loading the home page signed in: the CSRF cookie and the header form's token. */
  async function homeForm(npsso: string): Promise<{ csrfCookie: string; csrf: string }> {
    const res = await fetch(`${f.s.url}/`, { headers: { cookie: `npsso=${npsso}` } });
    const page = await res.text();
    expect(page).toContain('action="/signout"');
    const csrf = /action="\/signout"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"/.exec(page)?.[1];
    const csrfCookie = cookieValue(res.headers.getSetCookie(), 'kt_csrf');
    if (!csrf || !csrfCookie) throw new Error('no sign-out form');
    return { csrfCookie, csrf };
  }
  const signOut = (cookie: string, form: Record<string, string>) =>
    fetch(`${f.s.url}/signout`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams(form).toString() });

  it('ends the SSO session with the form of the page header, clears the cookie and goes home', async () => {
    const { s, ada, authorizeParams } = f;
    const npsso = await ada.signIn();
    const { csrfCookie, csrf } = await homeForm(npsso);
    const res = await signOut(`npsso=${npsso}; kt_csrf=${csrfCookie}`, { csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cleared = res.headers.getSetCookie().find((c) => c.startsWith('npsso='));
    expect(cleared).toMatch(/^npsso=;/);
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/i);
    expect(cleared).toMatch(/Path=\//);

    const sso = await ssoCookie(s, npsso);
    expect(sso.status).toBe(401);
    expect(sso.body).toMatchObject({ error: 'login_required' });
    const again = await authorize(s, npsso, authorizeParams);
    expect(again.status).toBe(302);
    expect(again.location).toMatch(/^\/signin\?return_to=/);
    const silent = await authorize(s, npsso, { ...authorizeParams, prompt: 'none' });
    expect(silent.location).toMatch(/^http:\/\/127\.0\.0\.1:9\/callback\?error=login_required/);
  });

  it('refuses a sign-out without a valid CSRF token with 403 and keeps the session alive', async () => {
    const { s, ada, authorizeParams } = f;
    const npsso = await ada.signIn();
    const { csrfCookie, csrf } = await homeForm(npsso);
    const otherBrowser = await homeForm(await ada.signIn());
    for (const [cookie, form] of [
      [`npsso=${npsso}`, { csrf }],
      [`npsso=${npsso}; kt_csrf=${csrfCookie}`, {}],
      [`npsso=${npsso}; kt_csrf=${csrfCookie}`, { csrf: 'forged' }],
      [`npsso=${npsso}; kt_csrf=${csrfCookie}`, { csrf: otherBrowser.csrf }],
    ] as const) {
      const res = await signOut(cookie, form);
      expect(res.status).toBe(403);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('npsso='))).toBe(false);
    }
    const sso = await ssoCookie(s, npsso);
    expect(sso.status).toBe(200);
    expect(sso.body).toEqual({ npsso });
    expect((await authorize(s, npsso, authorizeParams)).location).toMatch(/^http:\/\/127\.0\.0\.1:9\/callback\?code=/);
  });

  it('ends only the session signed out, not the same person’s other browsers', async () => {
    const { s, ada } = f;
    const a = await ada.signIn();
    const b = await ada.signIn();
    const { csrfCookie, csrf } = await homeForm(a);
    expect((await signOut(`npsso=${a}; kt_csrf=${csrfCookie}`, { csrf })).status).toBe(303);
    expect((await ssoCookie(s, a)).status).toBe(401);
    expect((await ssoCookie(s, b)).status).toBe(200);
  });
});
