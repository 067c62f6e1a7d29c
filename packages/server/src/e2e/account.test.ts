/**
 * The account page over plain HTTP: who may see it, what it lists, and revoking one
 * session or all of them — only ever the signed-in person's own.
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

  async signIn(email: string): Promise<void> {
    const form = await this.request('/signin');
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const res = await this.request('/signin', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': IPHONE_APP }, body: new URLSearchParams({ email, password: PASSWORD, csrf }).toString() });
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
