/**
 * Attacks on the rendered pages, from the outside: markup in names, emails, client names,
 * parameters and cookies must come out escaped, and every HTML page (success, error, 404)
 * must forbid inline script (CSP) and framing (X-Frame-Options, frame-ancestors).
 */
import { describe, expect, it } from 'vitest';
import { Browser } from '../test-support/browser.js';
import { aClient, REDIRECT } from '../test-support/clients.js';
import { BROWSER_ACCEPT, csrfFrom, raw, type Answer } from '../test-support/http.js';
import { signInTokens } from '../test-support/oauth.js';
import { PATHS } from '../test-support/paths.js';
import { aPerson, PASSWORD } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';
const SCRIPT = '<script>alert(1)</script>';
const ATTR = '"onmouseover="alert(1)" x="';
const PAYLOADS = [SCRIPT, ATTR, "'><img src=x onerror=alert(1)>", '`${alert(1)}`', '</title><svg onload=alert(1)>'];

/** Nothing an attacker put in may come out as live markup. */
function expectNoInjection(page: Answer) {
  expect(page.body).not.toMatch(/<script\b|<img\b|<svg\b/i);
  // Inside a double-quoted attribute value text is inert (quotes are escaped, so it cannot
  // close the value); outside of one, no event handler attribute may appear at all.
  const outsideValues = page.body.replace(/"[^"]*"/g, '""');
  expect(outsideValues).not.toMatch(/\son\w+\s*=/i);
  expect(page.body).not.toMatch(/"onmouseover=/i);
}

function expectHardened(what: string, page: Answer) {
  expect({ what, type: String(page.headers['content-type']) }).toEqual({ what, type: 'text/html; charset=utf-8' });
  expect({ what, xfo: page.headers['x-frame-options'] }).toEqual({ what, xfo: 'DENY' });
  const csp = String(page.headers['content-security-policy'] ?? '');
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
  expect({ what, frameAncestors: directives.get('frame-ancestors') }).toEqual({ what, frameAncestors: ["'none'"] });
  // Inline script is forbidden: script-src (or default-src when absent) allows no inline or eval.
  const scripts = directives.get('script-src') ?? directives.get('default-src');
  expect({ what, scripts }).toEqual({ what, scripts: expect.any(Array) });
  expect(scripts!.join(' ')).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*|data:|https?:/);
  expect(directives.get('base-uri')).toEqual(["'none'"]);
  expect(page.headers['x-content-type-options']).toBe('nosniff');
}

describe('attacks on the rendered pages', () => {

  const f = useServer({}, async (s) => {
    // Markup in the person's name and email, and in a client's display name.
    const scripted = await aPerson(s, { email: `${SCRIPT}@evil.example`, name: `${SCRIPT}${ATTR}` });
    await aPerson(s, { email: '"onmouseover=alert(1)"@evil.example', name: ATTR });
    const app = await aClient(s, { id: 'app' });
    const html = await aClient(s, { name: `<b>App</b>${SCRIPT}${ATTR}` });
    const evil = await Browser.signedIn(s, scripted, { from: '127.0.5.1' });
    return { app, html, evil };
  });

  it('escapes a name and email with <script> and attribute breakers on the home and account pages', async () => {
    const { s, app, evil } = f;
    await signInTokens(s, evil.npsso!, app);
    for (const path of ['/', '/account']) {
      const page = await evil.get(path);
      expect(page.status).toBe(200);
      expectNoInjection(page);
      expect(page.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    }
    const other = await Browser.signedIn(s, { email: '"onmouseover=alert(1)"@evil.example', password: PASSWORD }, { from: '127.0.5.2' });
    const account = await other.get('/account');
    expectNoInjection(account);
    expect(account.body).toContain('&#34;onmouseover=&#34;alert(1)&#34; x=&#34;');
  });

  it('escapes a client name with HTML in the session list and in the revoke confirmation', async () => {
    const { s, html, evil } = f;
    await signInTokens(s, evil.npsso!, html);
    const account = await evil.get('/account');
    expectNoInjection(account);
    expect(account.body).toContain('&#60;b&#62;App&#60;/b&#62;');
    const grantId = [...account.body.matchAll(/data-grant="([^"]+)"/g)].map((m) => m[1]!)[0]!;
    const res = await evil.post(`/account/sessions/${grantId}/revoke`, { csrf: csrfFrom(account.body)! });
    expect(res.status).toBe(303);
    const confirmed = await evil.get('/account');
    expectNoInjection(confirmed);
    expect(confirmed.body).toMatch(/<strong>&#60;b&#62;App&#60;\/b&#62;&#60;script&#62;/);
  });

  it('escapes a forged confirmation cookie and the email echoed on a failed sign-in', async () => {
    const { s, evil } = f;
    const planted = await evil.get('/account', { cookie: `${evil.cookieHeader()}; kt_notice=${encodeURIComponent(`revoked:${SCRIPT}`)}` });
    expectNoInjection(planted);
    const browser = new Browser(s, { from: '127.0.5.3' });
    for (const email of PAYLOADS) {
      const page = await browser.signIn(email, 'wrong password');
      expect(page.status).toBe(401);
      expectNoInjection(page);
    }
  });

  it('echoes no state, error_description or parameter unescaped on any authorize error page', async () => {
    const { s, app, evil } = f;
    const queries: Array<Record<string, string>> = [
      { client_id: SCRIPT, redirect_uri: SCRIPT, state: SCRIPT },
      { client_id: 'app', redirect_uri: `https://x.example/${SCRIPT}`, state: ATTR, error_description: SCRIPT },
      { client_id: 'app', redirect_uri: REDIRECT, response_type: 'code', scope: SCRIPT, state: SCRIPT, nonce: ATTR },
      { client_id: 'app', client_id_: ATTR, redirect_uri: REDIRECT, response_type: SCRIPT, state: SCRIPT },
    ];
    for (const q of queries) {
      for (const browser of [evil, new Browser(s, { from: '127.0.5.4' })]) {
        const res = await browser.get(`${PATHS.authorize}?${new URLSearchParams(q).toString()}`);
        if (res.status === 302) {
          // Back to the client or to sign-in: the markup stays inside an encoded query.
          expect(String(res.headers.location)).not.toMatch(/[<>"\s]/);
        } else {
          expect(res.status).toBe(400);
          expectNoInjection(res);
          expectHardened(`authorize error ${JSON.stringify(q)}`, res);
        }
      }
    }
    const signin = await raw(`${s.url}/signin?${new URLSearchParams({ return_to: `/${SCRIPT}${ATTR}`, error: SCRIPT, email: SCRIPT }).toString()}`);
    expectNoInjection(signin);
  });

  it('sends CSP without inline script and anti-framing headers on every HTML page, errors and 404 included', async () => {
    const { s, evil } = f;
    const visitor = new Browser(s, { from: '127.0.5.5' });
    const form = await visitor.get('/signin');
    const pages: Array<[string, Answer]> = [
      ['home (signed out)', await raw(`${s.url}/`)],
      ['home (signed in)', await evil.get('/')],
      ['sign-in form', form],
      ['sign-in 401', await visitor.post('/signin', { email: 'nobody@example.com', password: 'x', csrf: csrfFrom(form.body)! })],
      ['sign-in 403', await visitor.post('/signin', { email: 'nobody@example.com', password: 'x' })],
      ['sign-in 400', await visitor.post('/signin', { csrf: csrfFrom(form.body)! })],
      ['account', await evil.get('/account')],
      ['sign-out 403', await evil.post('/signout', {})],
      ['revoke 403', await evil.post('/account/sessions/revoke-all', {})],
      ['revoke 404', await evil.post('/account/sessions/nope/revoke', { csrf: csrfFrom((await evil.get('/account')).body)! })],
      ['authorize 400', await raw(`${s.url}${PATHS.authorize}?client_id=nope`, { headers: { accept: BROWSER_ACCEPT } })],
      ['404', await raw(`${s.url}/no/such/page`)],
      ['404 with markup', await raw(`${s.url}/%3Cscript%3Ealert(1)%3C/script%3E`)],
      ['malformed body', await raw(`${s.url}/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":' })],
    ];
    for (const [what, page] of pages) {
      expect({ what, status: page.status }).toEqual({ what, status: expect.any(Number) });
      expectHardened(what, page);
      expectNoInjection(page);
    }
    expect(pages.map(([what, p]) => `${what} ${p.status}`)).toEqual([
      'home (signed out) 200', 'home (signed in) 200', 'sign-in form 200', 'sign-in 401 401', 'sign-in 403 403', 'sign-in 400 400', 'account 200',
      'sign-out 403 403', 'revoke 403 403', 'revoke 404 404', 'authorize 400 400', '404 404', '404 with markup 404', 'malformed body 400',
    ]);
  });
});
