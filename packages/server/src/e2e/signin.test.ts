/**
 * The sign-in form: the npsso cookie and its attributes, CSRF, anti-framing headers, one
 * message for every wrong credential, throttling per account and per address (in memory and
 * in Redis), and continuing the authorize request that sent the person here.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisSandbox, type RedisSandbox } from '../test-support/redis.js';
import { cookieValue, startTestServer, type TestServer } from '../test-support/server.js';
import { PSN, codeFrom } from './lib.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** A raw HTTP request, optionally from another loopback address (127.0.0.x), so tests can play several addresses. */
function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {}, ...(opts.from ? { localAddress: opts.from } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function setCookies(a: Answer): string[] {
  return a.headers['set-cookie'] ?? [];
}

/** Loads the form from `from` and posts the credentials with its CSRF cookie and token. */
async function signIn(url: string, email: string, password: string, opts: { from?: string; returnTo?: string } = {}): Promise<Answer> {
  const form = await request(`${url}/signin`, opts.from ? { from: opts.from } : {});
  // Behind an https issuer the CSRF cookie has the __Host- prefix.
  const name = setCookies(form).some((c) => c.startsWith('__Host-kt_csrf=')) ? '__Host-kt_csrf' : 'kt_csrf';
  const seed = cookieValue(setCookies(form), name);
  const csrf = /name="csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (!seed || !csrf) throw new Error('no CSRF token on the form');
  const fields: Record<string, string> = { email, password, csrf };
  if (opts.returnTo) fields.return_to = opts.returnTo;
  return request(`${url}/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${name}=${seed}` },
    body: new URLSearchParams(fields).toString(),
    ...(opts.from ? { from: opts.from } : {}),
  });
}

const PASSWORD = 'correct horse battery';
const WRONG = 'Wrong email or password.';

describe('signing in on the form', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ config: { loginSlowAfter: 3, loginLockAfter: 5 } });
    await Promise.all([
      s.addUser('ada@example.com', PASSWORD),
      s.addUser('bob@example.com', PASSWORD),
      s.addUser('cyd@example.com', PASSWORD),
      s.addUser('dee@example.com', PASSWORD),
    ]);
    await s.addClient({ id: 'web', secret: 'web-secret-0123456789', redirectUris: ['https://app.example/cb'], scope: 'openid email' });
  });
  afterAll(() => s.close());

  it('answers 303 with a 64-character npsso cookie that is HttpOnly, SameSite=Lax, Path=/ and lasts 60 days', async () => {
    const res = await signIn(s.url, 'ada@example.com', PASSWORD);
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
    const sso = await request(`${s.url}/api/v1/ssocookie`, { headers: { cookie: `npsso=${npsso}` } });
    expect(JSON.parse(sso.body)).toEqual({ npsso });
  });

  it('accepts the email in another case and with spaces around it', async () => {
    const res = await signIn(s.url, '  ADA@Example.com ', PASSWORD);
    expect(res.status).toBe(303);
    expect(cookieValue(setCookies(res), 'npsso')).toMatch(/^[A-Za-z0-9_-]{64}$/);
  });

  it('refuses a POST without a CSRF token, or with a wrong one, with 403 and no cookie', async () => {
    const form = await request(`${s.url}/signin`);
    const seed = cookieValue(setCookies(form), 'kt_csrf')!;
    const valid = /name="csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const attempts: Array<{ cookie: string; fields: Record<string, string> }> = [
      { cookie: '', fields: { email: 'ada@example.com', password: PASSWORD } },
      { cookie: `kt_csrf=${seed}`, fields: { email: 'ada@example.com', password: PASSWORD } },
      { cookie: `kt_csrf=${seed}`, fields: { email: 'ada@example.com', password: PASSWORD, csrf: 'forged' } },
      // One character changed (not the last, whose low bits base64 may ignore; regression: `…A` for a token ending in A).
      { cookie: `kt_csrf=${seed}`, fields: { email: 'ada@example.com', password: PASSWORD, csrf: `${valid[0] === 'A' ? 'B' : 'A'}${valid.slice(1)}` } },
      // A valid token for a seed the attacker owns, sent without that seed cookie.
      { cookie: '', fields: { email: 'ada@example.com', password: PASSWORD, csrf: valid } },
    ];
    for (const a of attempts) {
      const res = await request(`${s.url}/signin`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(a.cookie ? { cookie: a.cookie } : {}) },
        body: new URLSearchParams(a.fields).toString(),
      });
      expect(res.status).toBe(403);
      expect(cookieValue(setCookies(res), 'npsso')).toBeUndefined();
      expect(res.body).toContain('Your sign-in form expired');
    }
  });

  it('forbids framing of its pages (X-Frame-Options DENY, CSP frame-ancestors none)', async () => {
    for (const path of ['/', '/signin', '/no-such-page', '/api/authz/v3/oauth/authorize?client_id=nobody']) {
      const res = await request(`${s.url}${path}`);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('gives the same message for an unknown email and a wrong password, without a hint', async () => {
    const unknown = await signIn(s.url, 'nobody@example.com', PASSWORD, { from: '127.0.0.2' });
    const wrong = await signIn(s.url, 'dee@example.com', 'not the password', { from: '127.0.0.3' });
    for (const res of [unknown, wrong]) {
      expect(res.status).toBe(401);
      expect(cookieValue(setCookies(res), 'npsso')).toBeUndefined();
      expect(res.body).toContain(`<div class="alert bad" role="alert">${WRONG}</div>`);
      expect(res.body).not.toMatch(/no (such )?account|not found|unknown|incorrect password|does not exist/i);
    }
    const strip = (b: string) => b.replace(/value="[^"]*"/g, '');
    expect(strip(unknown.body)).toBe(strip(wrong.body));
  });

  it('slows and then refuses repeated failures for one account, even from fresh addresses and with the right password', async () => {
    const times: number[] = [];
    // Each failure from its own address, so only the account counter can add up.
    for (let i = 0; i < 5; i++) {
      const res = await signIn(s.url, 'bob@example.com', `wrong-${i}`, { from: `127.0.1.${i + 1}` });
      expect(res.status).toBe(401);
      times.push(res.ms);
    }
    // Failures 3, 4, 5 wait 250, 500, 1000 ms on top of the hash.
    expect(times[2]!).toBeGreaterThanOrEqual(250);
    expect(times[4]!).toBeGreaterThanOrEqual(1000);
    expect(times[0]!).toBeLessThan(250);
    const locked = await signIn(s.url, 'bob@example.com', PASSWORD, { from: '127.0.1.99' });
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe(String(15 * 60));
    expect(locked.body).toContain('Too many failed sign-ins');
    expect(cookieValue(setCookies(locked), 'npsso')).toBeUndefined();
    // Another account from an address that has not failed is not affected.
    expect((await signIn(s.url, 'cyd@example.com', PASSWORD, { from: '127.0.1.98' })).status).toBe(303);
  });

  it('refuses an address that failed too often, whatever account it tries next', async () => {
    const from = '127.0.2.1';
    for (let i = 0; i < 5; i++) {
      expect((await signIn(s.url, `guess${i}@example.com`, 'guess', { from })).status).toBe(401);
    }
    const locked = await signIn(s.url, 'cyd@example.com', PASSWORD, { from });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(cookieValue(setCookies(locked), 'npsso')).toBeUndefined();
    expect((await signIn(s.url, 'cyd@example.com', PASSWORD, { from: '127.0.2.2' })).status).toBe(303);
  });

  it('continues the authorize request that sent the person to sign in (return_to)', async () => {
    const query = new URLSearchParams({ client_id: 'web', redirect_uri: 'https://app.example/cb', response_type: 'code', scope: 'openid', state: 's-1' });
    const start = await request(`${s.url}/api/authz/v3/oauth/authorize?${query.toString()}`);
    expect(start.status).toBe(302);
    const to = new URL(start.headers.location!, s.url);
    expect(to.pathname).toBe('/signin');
    const returnTo = to.searchParams.get('return_to')!;
    expect(returnTo).toBe(`/api/authz/v3/oauth/authorize?${query.toString()}`);

    const page = await request(`${s.url}${to.pathname}${to.search}`);
    expect(page.body).toContain(`name="return_to" value="${returnTo.replace(/&/g, '&#38;')}"`);

    const res = await signIn(s.url, 'ada@example.com', PASSWORD, { returnTo, from: '127.0.3.1' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(returnTo);
    const npsso = cookieValue(setCookies(res), 'npsso')!;
    const back = await request(`${s.url}${res.headers.location}`, { headers: { cookie: `npsso=${npsso}` } });
    expect(back.status).toBe(302);
    expect(back.headers.location).toMatch(/^https:\/\/app\.example\/cb\?code=v3\.[A-Za-z0-9_-]{43}&state=s-1&iss=/);
    expect(codeFrom(back.headers.location!)).toMatch(/^v3\./);
  });

  it('escapes return_to on the form (no markup injection)', async () => {
    const evil = '/x"><script>alert(1)</script><input value="';
    const page = await request(`${s.url}/signin?${new URLSearchParams({ return_to: evil }).toString()}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('name="return_to" value="/x&#34;&#62;&#60;script&#62;');
  });

  it('never follows a return_to that leaves the site', async () => {
    // Browsers drop tabs and newlines from URLs: "/\t/evil.example" is "//evil.example" to them.
    for (const evil of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '/\r\nSet-Cookie: a=b', '/x\u0000y']) {
      const res = await signIn(s.url, 'ada@example.com', PASSWORD, { returnTo: evil, from: '127.0.3.2' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
    }
  });
});

describe('the npsso cookie behind an https issuer', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ config: { issuer: 'https://keyturn.example', issuerFromAddress: false } });
    await s.addUser('ada@example.com', PASSWORD);
  });
  afterAll(() => s.close());

  it('is marked Secure', async () => {
    const res = await signIn(s.url, 'ada@example.com', PASSWORD);
    expect(res.status).toBe(303);
    const cookie = setCookies(res).find((c) => c.startsWith('npsso='))!;
    expect(cookie.split(';').map((a) => a.trim().toLowerCase())).toContain('secure');
  });

  it('names the CSRF cookie __Host-kt_csrf (Secure, Path=/, no Domain) so a sibling subdomain cannot plant one', async () => {
    const form = await request(`${s.url}/signin`);
    const cookie = setCookies(form).find((c) => c.startsWith('__Host-kt_csrf='));
    expect(cookie).toBeDefined();
    const attributes = cookie!.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['secure', 'path=/', 'httponly']));
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    expect(setCookies(form).some((c) => c.startsWith('kt_csrf='))).toBe(false);
  });
});

describe('the sign-in counter in Redis', () => {
  let r: RedisSandbox;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    r = await openRedisSandbox();
    const config = { ...r.config, loginSlowAfter: 10, loginLockAfter: 3 };
    a = await startTestServer({ config });
    // A second process on the same database and Redis: the counter is shared.
    b = await startTestServer({ config });
    await a.addUser('eve@example.com', PASSWORD);
    await b.addUser('eve@example.com', PASSWORD);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await r?.drop();
  });

  it('counts failures under the configured prefix and locks the account on every server sharing Redis', async () => {
    expect((await signIn(a.url, 'eve@example.com', 'nope-1', { from: '127.0.4.1' })).status).toBe(401);
    expect((await signIn(b.url, 'eve@example.com', 'nope-2', { from: '127.0.4.2' })).status).toBe(401);
    expect((await signIn(a.url, 'eve@example.com', 'nope-3', { from: '127.0.4.3' })).status).toBe(401);
    const keys = (await r.redis.keys(`${r.prefix}*`)).sort();
    expect(keys.filter((k) => k.startsWith(`${r.prefix}login:acct:`))).toHaveLength(1);
    expect(keys.filter((k) => k.startsWith(`${r.prefix}login:addr:`))).toHaveLength(3);
    expect(await r.redis.get(keys.find((k) => k.includes(':acct:'))!)).toBe('3');
    expect(await r.redis.pttl(keys[0]!)).toBeGreaterThan(0);

    const locked = await signIn(b.url, 'eve@example.com', PASSWORD, { from: '127.0.4.9' });
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe(String(15 * 60));
  });
});
