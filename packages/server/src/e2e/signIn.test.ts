/**
 * The sign-in form: the npsso cookie and its attributes, CSRF, anti-framing headers, one
 * message for every wrong credential, and continuing the authorize request that sent the
 * person here. (Its limits on failures: signInLimits.)
 */
import { describe, expect, it } from 'vitest';
import { Browser } from '../test-support/browser.js';
import { aClient } from '../test-support/clients.js';
import { BROWSER_ACCEPT, cookieValue, csrfFrom, FORM, raw, setCookies } from '../test-support/http.js';
import { codeFrom } from '../test-support/oauth.js';
import { PATHS } from '../test-support/paths.js';
import { aPerson, PASSWORD } from '../test-support/people.js';
import { useServer, type TestServer } from '../test-support/server.js';

/** Loads the form (from `from`) and posts the credentials with its CSRF cookie and token. */
const signIn = (s: TestServer, email: string, password: string, opts: { from?: string; returnTo?: string } = {}) =>
  new Browser(s, opts.from ? { from: opts.from } : {}).signIn(email, password, opts.returnTo ? { return_to: opts.returnTo } : {});

const WRONG = 'Wrong email or password.';

describe('signing in on the form', () => {
  const f = useServer({ config: { loginSlowAfter: 3, loginLockAfter: 5 } }, async (s) => {
    const [ada, dee] = await Promise.all([aPerson(s, { name: 'Ada' }), aPerson(s)]);
    const web = await aClient(s, { redirectUri: 'https://app.example/cb', scope: 'openid email' });
    return { ada, dee, web };
  });

  it('answers 303 with a 64-character npsso cookie that is HttpOnly, SameSite=Lax, Path=/ and lasts 60 days', async () => {
    const { s, ada } = f;
    const res = await signIn(s, ada.email, PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = setCookies(res).find((c) => c.startsWith('npsso='));
    expect(cookie).toMatch(/^npsso=[A-Za-z0-9_-]{64};/);
    const attrs = cookie!.split(';').slice(1).map((a) => a.trim().toLowerCase());
    expect(attrs).toContain('httponly');
    expect(attrs).toContain('samesite=lax');
    expect(attrs).toContain('path=/');
    expect(attrs).toContain(`max-age=${60 * 86400}`);
    expect(attrs).not.toContain('secure');
    const npsso = cookieValue(setCookies(res), 'npsso')!;
    const sso = await raw(s.url + PATHS.ssoCookie, { headers: { cookie: `npsso=${npsso}` } });
    expect(JSON.parse(sso.body)).toEqual({ npsso });
  });

  it('accepts the email in another case and with spaces around it', async () => {
    const { s, ada } = f;
    const res = await signIn(s, `  ${ada.email.toUpperCase()} `, PASSWORD);
    expect(res.status).toBe(303);
    expect(cookieValue(setCookies(res), 'npsso')).toMatch(/^[A-Za-z0-9_-]{64}$/);
  });

  it('refuses a POST without a CSRF token, or with a wrong one, with 403 and no cookie', async () => {
    const { s, ada } = f;
    const form = await raw(`${s.url}/signin`);
    const seed = cookieValue(setCookies(form), 'kt_csrf')!;
    const valid = csrfFrom(form.body)!;
    const attempts: Array<{ cookie: string; fields: Record<string, string> }> = [
      { cookie: '', fields: { email: ada.email, password: PASSWORD } },
      { cookie: `kt_csrf=${seed}`, fields: { email: ada.email, password: PASSWORD } },
      { cookie: `kt_csrf=${seed}`, fields: { email: ada.email, password: PASSWORD, csrf: 'forged' } },
      // One character changed (not the last, whose low bits base64 may ignore; regression: `…A` for a token ending in A).
      { cookie: `kt_csrf=${seed}`, fields: { email: ada.email, password: PASSWORD, csrf: `${valid[0] === 'A' ? 'B' : 'A'}${valid.slice(1)}` } },
      // A valid token for a seed the attacker owns, sent without that seed cookie.
      { cookie: '', fields: { email: ada.email, password: PASSWORD, csrf: valid } },
    ];
    for (const a of attempts) {
      const res = await raw(`${s.url}/signin`, { method: 'POST', headers: { ...FORM, ...(a.cookie ? { cookie: a.cookie } : {}) }, body: new URLSearchParams(a.fields).toString() });
      expect(res.status).toBe(403);
      expect(cookieValue(setCookies(res), 'npsso')).toBeUndefined();
      expect(res.body).toContain('Your sign-in form expired');
    }
  });

  it('forbids framing of its pages (X-Frame-Options DENY, CSP frame-ancestors none)', async () => {
    const { s } = f;
    for (const path of ['/', '/signin', '/no-such-page', `${PATHS.authorize}?client_id=nobody`]) {
      const res = await raw(`${s.url}${path}`, { headers: { accept: BROWSER_ACCEPT } });
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('gives the same message for an unknown email and a wrong password, without a hint', async () => {
    const { s, dee } = f;
    const unknown = await signIn(s, 'nobody@example.com', PASSWORD, { from: '127.0.0.2' });
    const wrong = await signIn(s, dee.email, 'not the password', { from: '127.0.0.3' });
    for (const res of [unknown, wrong]) {
      expect(res.status).toBe(401);
      expect(cookieValue(setCookies(res), 'npsso')).toBeUndefined();
      expect(res.body).toContain(`<div class="alert bad" role="alert">${WRONG}</div>`);
      expect(res.body).not.toMatch(/no (such )?account|not found|unknown|incorrect password|does not exist/i);
    }
    const strip = (b: string) => b.replace(/value="[^"]*"/g, '');
    expect(strip(unknown.body)).toBe(strip(wrong.body));
  });

  it('continues the authorize request that sent the person to sign in (return_to)', async () => {
    const { s, ada, web } = f;
    const query = new URLSearchParams({ client_id: web.id, redirect_uri: web.redirectUri, response_type: 'code', scope: 'openid', state: 's-1' });
    const start = await raw(`${s.url}${PATHS.authorize}?${query.toString()}`);
    expect(start.status).toBe(302);
    const to = new URL(start.headers.location!, s.url);
    expect(to.pathname).toBe('/signin');
    const returnTo = to.searchParams.get('return_to')!;
    expect(returnTo).toBe(`${PATHS.authorize}?${query.toString()}`);

    const page = await raw(`${s.url}${to.pathname}${to.search}`);
    expect(page.body).toContain(`name="return_to" value="${returnTo.replace(/&/g, '&#38;')}"`);

    const res = await signIn(s, ada.email, PASSWORD, { returnTo, from: '127.0.3.1' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(returnTo);
    const npsso = cookieValue(setCookies(res), 'npsso')!;
    const back = await raw(`${s.url}${res.headers.location}`, { headers: { cookie: `npsso=${npsso}` } });
    expect(back.status).toBe(302);
    expect(back.headers.location).toMatch(/^https:\/\/app\.example\/cb\?code=v3\.[A-Za-z0-9_-]{43}&state=s-1&iss=/);
    expect(codeFrom(back.headers.location!)).toMatch(/^v3\./);
  });

  it('escapes return_to on the form (no markup injection)', async () => {
    const { s } = f;
    const evil = '/x"><script>alert(1)</script><input value="';
    const page = await raw(`${s.url}/signin?${new URLSearchParams({ return_to: evil }).toString()}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('name="return_to" value="/x&#34;&#62;&#60;script&#62;');
  });

  it('never follows a return_to that leaves the site', async () => {
    const { s, ada } = f;
    // Browsers drop tabs and newlines from URLs: "/\t/evil.example" is "//evil.example" to them.
    for (const evil of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '/\r\nSet-Cookie: a=b', '/x\u0000y']) {
      const res = await signIn(s, ada.email, PASSWORD, { returnTo: evil, from: '127.0.3.2' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
    }
  });
});

describe('the npsso cookie behind an https issuer', () => {
  const f = useServer({ config: { issuer: 'https://keyturn.example', issuerFromAddress: false } }, async (s) => {
    const ada = await aPerson(s);
    return { ada };
  });

  it('is marked Secure', async () => {
    const { s, ada } = f;
    const res = await signIn(s, ada.email, PASSWORD);
    expect(res.status).toBe(303);
    const cookie = setCookies(res).find((c) => c.startsWith('npsso='))!;
    expect(cookie.split(';').map((a) => a.trim().toLowerCase())).toContain('secure');
  });

  it('names the CSRF cookie __Host-kt_csrf (Secure, Path=/, no Domain) so a sibling subdomain cannot plant one', async () => {
    const { s } = f;
    const form = await raw(`${s.url}/signin`);
    const cookie = setCookies(form).find((c) => c.startsWith('__Host-kt_csrf='));
    expect(cookie).toBeDefined();
    const attributes = cookie!.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['secure', 'path=/', 'httponly']));
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    expect(setCookies(form).some((c) => c.startsWith('kt_csrf='))).toBe(false);
  });
});
