/**
 * The account page over plain HTTP: who may see it, what it lists, and revoking one
 * session, signing out another browser, or ending all of them — only ever the signed-in
 * person's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { authorize, basic, codeFrom } from './lib.js';

const PASSWORD = 'correct horse battery';
const REDIRECT = 'http://127.0.0.1:9/callback';
const IPHONE_APP = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

/** A cookie jar over fetch: what a browser keeps between requests. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${path}`, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a))) this.cookies.delete(name);
      else this.cookies.set(name, pair!.slice(eq + 1).trim());
    }
    return res;
  }

  async signIn(email: string, userAgent = IPHONE_APP): Promise<void> {
    const form = await this.request('/signin');
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const res = await this.request('/signin', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent }, body: new URLSearchParams({ email, password: PASSWORD, csrf }).toString() });
    expect(res.status).toBe(303);
  }

  async page(): Promise<{ status: number; text: string; csrf: string }> {
    const res = await this.request('/account');
    const text = await res.text();
    return { status: res.status, text, csrf: /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? '' };
  }

  post(path: string, form: Record<string, string>): Promise<Response> {
    return this.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }
}

interface App {
  id: string;
  auth: string;
}

async function tokens(s: TestServer, b: Browser, app: App, userAgent: string): Promise<{ refresh_token: string; grantId: string }> {
  const { location } = await authorize(s.url, b.cookies.get('npsso')!, { client_id: app.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email', access_type: 'offline' });
  const res = await fetch(`${s.url}/api/authz/v3/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: app.auth, 'user-agent': userAgent },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: codeFrom(location), redirect_uri: REDIRECT }).toString(),
  });
  const body = (await res.json()) as { refresh_token: string; access_token: string };
  expect(res.status).toBe(200);
  const sid = JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString()).sid as string;
  return { refresh_token: body.refresh_token, grantId: sid };
}

async function refreshStatus(s: TestServer, app: App, refreshToken: string): Promise<{ status: number; error?: string }> {
  const res = await fetch(`${s.url}/api/authz/v3/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: app.auth },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  });
  const body = (await res.json()) as { error?: string };
  return { status: res.status, ...(body.error ? { error: body.error } : {}) };
}

describe('the account page', () => {
  let s: TestServer;
  const clock = { t: Date.now() };
  const photos: App = { id: 'photos', auth: basic('photos', 'photos-secret-0123456789') };
  const bot: App = { id: 'trophy-bot', auth: basic('trophy-bot', 'trophy-bot-secret-0123456789') };

  beforeAll(async () => {
    s = await startTestServer({ now: () => clock.t, config: { gcIntervalSec: 0 } });
    await s.addUser('ada@example.com', PASSWORD, 'Ada');
    await s.addUser('mallory@example.com', PASSWORD);
    await s.addClient({ id: photos.id, name: 'Photo Sync', secret: 'photos-secret-0123456789', redirectUris: [REDIRECT], scope: 'openid email offline_access' });
    await s.addClient({ id: bot.id, secret: 'trophy-bot-secret-0123456789', redirectUris: [REDIRECT], scope: 'openid email offline_access' });
  });
  afterAll(() => s.close());

  it('sends a visitor who is not signed in to the sign-in page, and back afterwards', async () => {
    const b = new Browser(s.url);
    const res = await b.request('/account');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/signin?return_to=%2Faccount');
    const form = await b.request('/signin?return_to=%2Faccount');
    const html = await form.text();
    expect(html).toContain('name="return_to" value="/account"');
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    await s.addUser('bob@example.com', PASSWORD);
    const signIn = await b.post('/signin', { email: 'bob@example.com', password: PASSWORD, csrf, return_to: '/account' });
    expect(signIn.headers.get('location')).toBe('/account');
    expect((await b.page()).status).toBe(200);
  });

  it('sends a revoke from someone not signed in to the sign-in page and revokes nothing', async () => {
    const b = new Browser(s.url);
    const res = await b.post('/account/sessions/some-grant/revoke', { csrf: 'x' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin?return_to=%2Faccount');
    expect((await b.post('/account/sessions/revoke-all', {})).status).toBe(303);
  });

  it('shows an empty state and this browser when no app is signed in', async () => {
    const b = new Browser(s.url);
    await b.signIn('ada@example.com');
    const page = await b.page();
    expect(page.status).toBe(200);
    expect(page.text).toContain('No apps are signed in as you');
    expect(page.text).toContain('Safari on iPhone <span class="badge ok">Current session</span>');
    expect(page.text).toContain('Signed in as <strong>Ada</strong> (ada@example.com).');
    expect(page.text).not.toContain('Revoke all');
    expect(page.text).not.toMatch(/style=|<script/i);
  });

  it('lists each live grant with client name, device hint and relative plus exact times', async () => {
    const b = new Browser(s.url);
    await b.signIn('ada@example.com');
    const started = clock.t;
    const grant = await tokens(s, b, photos, 'node');
    clock.t += 2 * 60_000;
    const page = await b.page();
    const row = new RegExp(`<li class="session" data-grant="${grant.grantId}">([\\s\\S]*?)</li>`).exec(page.text)?.[1] ?? '';
    expect(row).toContain('Photo Sync <span class="badge">Signed in from this browser</span>');
    expect(row).toContain('Node.js app · <code>photos</code>');
    expect(row).toContain(`<time datetime="${new Date(started).toISOString()}">2 minutes ago</time>`);
    expect(row).toContain(`<time datetime="${new Date(started + 60 * 86_400_000).toISOString()}">in 2 months</time>`);
    expect(row).toMatch(/<span class="exact">\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC<\/span>/);
    expect(row).toContain(`action="/account/sessions/${grant.grantId}/revoke"`);
    expect(page.text).toContain('Yes, revoke all');
  });

  it('refuses a revoke without the CSRF token and leaves the grant working', async () => {
    const b = new Browser(s.url);
    await b.signIn('ada@example.com');
    const grant = await tokens(s, b, photos, 'node');
    const res = await b.post(`/account/sessions/${grant.grantId}/revoke`, { csrf: 'forged' });
    expect(res.status).toBe(403);
    expect((await b.post(`/account/sessions/${grant.grantId}/revoke`, {})).status).toBe(403);
    expect(await refreshStatus(s, photos, grant.refresh_token)).toEqual({ status: 200 });
  });

  it('does not let one person revoke another person’s grant', async () => {
    const ada = new Browser(s.url);
    await ada.signIn('ada@example.com');
    const grant = await tokens(s, ada, bot, 'curl/8.5.0');
    const mallory = new Browser(s.url);
    await mallory.signIn('mallory@example.com');
    const { csrf } = await mallory.page();
    const res = await mallory.post(`/account/sessions/${grant.grantId}/revoke`, { csrf });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Session not found');
    expect(await refreshStatus(s, bot, grant.refresh_token)).toEqual({ status: 200 });
    expect((await ada.page()).text).toContain(`data-grant="${grant.grantId}"`);
    // Mallory's revoke-all touches only Mallory's grants.
    expect((await mallory.post('/account/sessions/revoke-all', { csrf })).status).toBe(303);
    expect(await refreshStatus(s, bot, grant.refresh_token)).toEqual({ status: 200 });
  });

  it('revokes one session: its refresh token fails with invalid_grant, the page confirms once, the others stay', async () => {
    const b = new Browser(s.url);
    await b.signIn('ada@example.com');
    const doomed = await tokens(s, b, photos, 'node');
    const kept = await tokens(s, b, bot, 'node');
    const { csrf } = await b.page();
    const res = await b.post(`/account/sessions/${doomed.grantId}/revoke`, { csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
    expect(await refreshStatus(s, photos, doomed.refresh_token)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await refreshStatus(s, bot, kept.refresh_token)).toEqual({ status: 200 });
    const after = await b.page();
    expect(after.text).toContain('<strong>Photo Sync</strong> was signed out.');
    expect(after.text).not.toContain(`data-grant="${doomed.grantId}"`);
    expect(after.text).toContain(`data-grant="${kept.grantId}"`);
    expect((await b.page()).text).not.toContain('was signed out');
    // Revoking it again: it is gone from the list, and the answer does not pretend otherwise.
    expect((await b.post('/account/sessions/not-a-grant/revoke', { csrf })).status).toBe(404);
  });

  it('revokes all of the person’s sessions at once', async () => {
    const b = new Browser(s.url);
    await b.signIn('ada@example.com');
    const one = await tokens(s, b, photos, 'node');
    const two = await tokens(s, b, bot, 'node');
    const { csrf, text } = await b.page();
    const live = (text.match(/<li class="session"/g) ?? []).length;
    expect(live).toBeGreaterThanOrEqual(2);
    const res = await b.post('/account/sessions/revoke-all', { csrf });
    expect(res.status).toBe(303);
    expect(await refreshStatus(s, photos, one.refresh_token)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await refreshStatus(s, bot, two.refresh_token)).toEqual({ status: 400, error: 'invalid_grant' });
    const after = await b.page();
    expect(after.text).toContain(`<strong>${live} apps were</strong> signed out.`);
    expect(after.text).toContain('No apps are signed in as you');
  });
});


const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const EDGE_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';

/** The "Other browsers" rows of a page: SSO session id and the row's markup. */
function browserRows(page: string): Array<{ id: string; row: string }> {
  return [...page.matchAll(/<li class="session browser" data-sso="([^"]+)">([\s\S]*?)<\/li>/g)].map((m) => ({ id: m[1]!, row: m[2]! }));
}

/** The one "Other browsers" row of a page (fails the test when there is not exactly one). */
function onlyBrowserRow(page: string): { id: string; row: string } {
  const rows = browserRows(page);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('the account page: other browsers', () => {
  let s: TestServer;
  const clock = { t: Date.now() };
  const photos: App = { id: 'photos', auth: basic('photos', 'photos-secret-0123456789') };
  let people = 0;

  beforeAll(async () => {
    s = await startTestServer({ now: () => clock.t, config: { gcIntervalSec: 0 } });
    await s.addClient({ id: photos.id, name: 'Photo Sync', secret: 'photos-secret-0123456789', redirectUris: [REDIRECT], scope: 'openid email offline_access' });
  });
  afterAll(() => s.close());

  /** A new person, so each test starts with nobody else signed in as them. */
  async function person(): Promise<string> {
    const email = `person${++people}@example.com`;
    await s.addUser(email, PASSWORD);
    return email;
  }

  /** Signs in as `email` in a new "browser" that sends `userAgent`. */
  async function browser(email: string, userAgent: string): Promise<Browser> {
    const b = new Browser(s.url);
    await b.signIn(email, userAgent);
    return b;
  }

  /** What `GET /api/v1/ssocookie` answers to this browser's npsso. */
  async function ssocookie(b: Browser): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${s.url}/api/v1/ssocookie`, { headers: { cookie: `npsso=${b.cookies.get('npsso')}` } });
    return { status: res.status, body: await res.json() };
  }

  /** Where authorize sends this browser: a code for the app, or the sign-in page. */
  async function authorizeWith(b: Browser): Promise<{ status: number; location: string | null }> {
    return authorize(s.url, b.cookies.get('npsso')!, { client_id: photos.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email', access_type: 'offline' });
  }

  async function works(b: Browser): Promise<void> {
    expect(await ssocookie(b)).toEqual({ status: 200, body: { npsso: b.cookies.get('npsso') } });
    const answer = await authorizeWith(b);
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(/^http:\/\/127\.0\.0\.1:9\/callback\?code=v3\./);
  }

  async function signedOut(b: Browser): Promise<void> {
    const answer = await ssocookie(b);
    expect(answer.status).toBe(401);
    expect((answer.body as { error?: string }).error).toBe('login_required');
    const auth = await authorizeWith(b);
    expect(auth.status).toBe(302);
    expect(auth.location).toMatch(/^\/signin\?return_to=/);
    expect((await b.request('/account')).status).toBe(302);
  }

  it('shows an empty "Other browsers" section between this browser and the apps when signed in nowhere else', async () => {
    const a = await browser(await person(), CHROME_MAC);
    const { text } = await a.page();
    expect(text).toContain('Other browsers <span class="count">0</span>');
    expect(text).toContain('You are not signed in anywhere else');
    expect(browserRows(text)).toEqual([]);
    const order = ['id="this-browser"', 'id="other-browsers"', 'id="apps"'].map((marker) => text.indexOf(marker));
    expect(order.every((at) => at > 0)).toBe(true);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(text).not.toContain('Revoke all');
    expect(text).not.toMatch(/style=|<script/i);
  });

  it('lists the person’s other browser with device hint and relative plus exact times, and neither this one nor anyone else’s', async () => {
    const email = await person();
    const a = await browser(email, CHROME_MAC);
    const signedInB = clock.t;
    const b = await browser(email, FIREFOX_WINDOWS);
    await browser(await person(), EDGE_WINDOWS);
    clock.t += 3 * 60_000;
    const { text } = await a.page();
    expect(text).toContain('Chrome on macOS <span class="badge ok">Current session</span>');
    expect(text).toContain('Other browsers <span class="count">1</span>');
    const { id, row } = onlyBrowserRow(text);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row).toContain('<p class="session-title">Firefox on Windows</p>');
    expect(row).toContain(`<time datetime="${new Date(signedInB).toISOString()}">3 minutes ago</time>`);
    expect(row).toContain(`<time datetime="${new Date(signedInB + 60 * 86_400_000).toISOString()}">in 2 months</time>`);
    expect(row).toMatch(/<span class="exact">\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC<\/span>/);
    expect(row).toContain(`action="/account/browsers/${id}/signout"`);
    expect(row).toContain('name="csrf"');
    expect(row).toContain('>Sign out</button>');
    expect(text).not.toContain('Edge on Windows');
    expect(text).not.toContain('You are not signed in anywhere else');
    // The other browser sees this one the other way round.
    const fromB = browserRows((await b.page()).text);
    expect(fromB.map((r) => /<p class="session-title">([^<]*)<\/p>/.exec(r.row)?.[1])).toEqual(['Chrome on macOS']);
    // Revoke all is offered even with no app, and says it signs out other browsers.
    expect(text).toContain('This signs out every app and every other browser above at once. You stay signed in to Keyturn in this browser.');
    expect(text).toContain('The other browser will be signed out.');
    expect(text).toContain('Yes, revoke all 1');
  });

  it('signs another browser out from this one: its npsso then fails at ssocookie and authorize, while this browser keeps working', async () => {
    const email = await person();
    const a = await browser(email, CHROME_MAC);
    const b = await browser(email, FIREFOX_WINDOWS);
    await works(b);
    const { text, csrf } = await a.page();
    const { id } = onlyBrowserRow(text);
    const res = await a.post(`/account/browsers/${id}/signout`, { csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
    await signedOut(b);
    await works(a);
    const after = await a.page();
    expect(after.text).toContain('<div class="alert ok" role="status"><strong>Firefox on Windows</strong> was signed out. That browser must sign in again to use your account.</div>');
    expect(browserRows(after.text)).toEqual([]);
    expect(after.text).toContain('You are not signed in anywhere else');
    expect((await a.page()).text).not.toContain('was signed out');
    // Again: it is gone, and the answer says so.
    const again = await a.post(`/account/browsers/${id}/signout`, { csrf });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('Browser not found');
  });

  it('refuses to sign out another browser without the CSRF token, and that browser stays signed in', async () => {
    const email = await person();
    const a = await browser(email, CHROME_MAC);
    const b = await browser(email, FIREFOX_WINDOWS);
    const { id } = onlyBrowserRow((await a.page()).text);
    expect((await a.post(`/account/browsers/${id}/signout`, { csrf: 'forged' })).status).toBe(403);
    expect((await a.post(`/account/browsers/${id}/signout`, {})).status).toBe(403);
    await works(b);
    expect(browserRows((await a.page()).text).map((r) => r.id)).toEqual([id]);
  });

  it('sends a sign-out from someone not signed in to the sign-in page and ends nothing', async () => {
    const email = await person();
    const a = await browser(email, CHROME_MAC);
    const b = await browser(email, FIREFOX_WINDOWS);
    const { id } = onlyBrowserRow((await a.page()).text);
    const stranger = new Browser(s.url);
    const res = await stranger.post(`/account/browsers/${id}/signout`, { csrf: 'x' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin?return_to=%2Faccount');
    await works(b);
  });

  it('answers 404 for another person’s browser, this browser and a made-up id, and ends none of them', async () => {
    const victim = await person();
    const v1 = await browser(victim, CHROME_MAC);
    const v2 = await browser(victim, FIREFOX_WINDOWS);
    const { id: victimSession } = onlyBrowserRow((await v1.page()).text);
    const mallory = await browser(await person(), EDGE_WINDOWS);
    const { csrf } = await mallory.page();
    const res = await mallory.post(`/account/browsers/${victimSession}/signout`, { csrf });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Browser not found');
    await works(v2);
    // This browser's own session is not an "other browser" (that is /signout).
    const { id: v1Session } = onlyBrowserRow((await v2.page()).text);
    const { csrf: v1Csrf } = await v1.page();
    expect((await v1.post(`/account/browsers/${v1Session}/signout`, { csrf: v1Csrf })).status).toBe(404);
    await works(v1);
    for (const bogus of ['not-a-session', '00000000-0000-0000-0000-000000000000', "x' OR '1'='1", 'a'.repeat(200)]) {
      expect((await mallory.post(`/account/browsers/${encodeURIComponent(bogus)}/signout`, { csrf })).status).toBe(404);
    }
    await works(v1);
    await works(v2);
    await works(mallory);
  });

  it('"Revoke all" ends every other browser and every grant of the person, but not this browser nor anyone else’s', async () => {
    const email = await person();
    const a = await browser(email, CHROME_MAC);
    const b = await browser(email, FIREFOX_WINDOWS);
    const c = await browser(email, IPHONE_APP);
    const fromA = await tokens(s, a, photos, 'node');
    const fromB = await tokens(s, b, photos, 'okhttp/4.12.0');
    const other = await browser(await person(), EDGE_WINDOWS);
    const othersGrant = await tokens(s, other, photos, 'node');
    const { text, csrf } = await a.page();
    expect(browserRows(text)).toHaveLength(2);
    expect(text).toContain('All 2 apps will have to ask you to sign in again. All 2 other browsers will be signed out.');
    expect(text).toContain('Yes, revoke all 4');
    const res = await a.post('/account/sessions/revoke-all', { csrf });
    expect(res.status).toBe(303);
    await signedOut(b);
    await signedOut(c);
    expect(await refreshStatus(s, photos, fromA.refresh_token)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await refreshStatus(s, photos, fromB.refresh_token)).toEqual({ status: 400, error: 'invalid_grant' });
    await works(a);
    await works(other);
    expect(await refreshStatus(s, photos, othersGrant.refresh_token)).toEqual({ status: 200 });
    const after = await a.page();
    expect(after.text).toContain('<strong>2 apps were</strong> signed out. None of them can get new tokens until you sign in to them again. <strong>2 other browsers were</strong> signed out too.');
    expect(after.text).toContain('Chrome on macOS <span class="badge ok">Current session</span>');
    expect(after.text).toContain('You are not signed in anywhere else');
    // `works(a)` above only got a code, never exchanged: no new grant.
    expect(after.text).toContain('Apps and devices <span class="count">0</span>');
  });

  it('shows a forged notice cookie only as escaped text, and none when its count is not a number', async () => {
    const a = await browser(await person(), CHROME_MAC);
    a.cookies.set('kt_notice', encodeURIComponent('revoked-all:2:<b>x</b>'));
    const { text } = await a.page();
    expect(text).not.toContain('role="status"');
    a.cookies.set('kt_notice', encodeURIComponent('browser:<img src=x>'));
    const forged = await a.page();
    expect(forged.text).toContain('<strong>&#60;img src=x&#62;</strong> was signed out.');
  });
});
