/**
 * The account page over plain HTTP, its other browsers: the person's other SSO sessions are
 * listed and can be signed out one by one or all at once (with every app), never this
 * browser's own session and never anyone else's.
 */
import { describe, expect, it } from 'vitest';
import { accountPage, appGrant, browserRows, onlyBrowserRow, UA } from '../test-support/accountPage.js';
import { Browser } from '../test-support/browser.js';
import { aClient, REDIRECT } from '../test-support/clients.js';
import { DAY, frozenClock, MINUTE } from '../test-support/clock.js';
import { ssoCookie } from '../test-support/endpoints.js';
import { authorize, refreshOutcome } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('the account page: other browsers', () => {
  const clock = frozenClock();
  const f = useServer({ now: clock.now, config: { gcIntervalSec: 0 } }, async (s) => {
    const photos = await aClient(s, { name: 'Photo Sync' });
    return { photos };
  });

  /** A new person, so each test starts with nobody else signed in as them. */
  const person = () => aPerson(f.s);
  /** Signs in as `who` in a new "browser" that sends `userAgent`. */
  const browser = (who: { email: string; password: string }, userAgent: string) => Browser.signedIn(f.s, who, { userAgent });

  /** Where authorize sends this browser: a code for the app, or the sign-in page. */
  const authorizeWith = (b: Browser) => authorize(f.s, b.npsso!, { client_id: f.photos.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email', access_type: 'offline' });

  async function works(b: Browser): Promise<void> {
    expect(await ssoCookie(f.s, b.npsso!)).toEqual({ status: 200, body: { npsso: b.npsso } });
    const answer = await authorizeWith(b);
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(/^http:\/\/127\.0\.0\.1:9\/callback\?code=v3\./);
  }

  async function signedOut(b: Browser): Promise<void> {
    const answer = await ssoCookie(f.s, b.npsso!);
    expect(answer.status).toBe(401);
    expect((answer.body as { error?: string }).error).toBe('login_required');
    const auth = await authorizeWith(b);
    expect(auth.status).toBe(302);
    expect(auth.location).toMatch(/^\/signin\?return_to=/);
    expect((await b.get('/account')).status).toBe(302);
  }

  it('shows an empty "Other browsers" section between this browser and the apps when signed in nowhere else', async () => {
    const a = await browser(await person(), UA.chromeMac);
    const { text } = await accountPage(a);
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
    const someone = await person();
    const a = await browser(someone, UA.chromeMac);
    const signedInB = clock.now();
    const b = await browser(someone, UA.firefoxWindows);
    await browser(await person(), UA.edgeWindows);
    clock.advance(3 * MINUTE);
    const { text } = await accountPage(a);
    expect(text).toContain('Chrome on macOS <span class="badge ok">Current session</span>');
    expect(text).toContain('Other browsers <span class="count">1</span>');
    const { id, row } = onlyBrowserRow(text);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row).toContain('<p class="session-title">Firefox on Windows</p>');
    expect(row).toContain(`<time datetime="${new Date(signedInB).toISOString()}">3 minutes ago</time>`);
    expect(row).toContain(`<time datetime="${new Date(signedInB + 60 * DAY).toISOString()}">in 2 months</time>`);
    expect(row).toMatch(/<span class="exact">\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC<\/span>/);
    expect(row).toContain(`action="/account/browsers/${id}/signout"`);
    expect(row).toContain('name="csrf"');
    expect(row).toContain('>Sign out</button>');
    expect(text).not.toContain('Edge on Windows');
    expect(text).not.toContain('You are not signed in anywhere else');
    // The other browser sees this one the other way round.
    const fromB = browserRows((await accountPage(b)).text);
    expect(fromB.map((r) => /<p class="session-title">([^<]*)<\/p>/.exec(r.row)?.[1])).toEqual(['Chrome on macOS']);
    // Revoke all is offered even with no app, and says it signs out other browsers.
    expect(text).toContain('This signs out every app and every other browser above at once. You stay signed in to Keyturn in this browser.');
    expect(text).toContain('The other browser will be signed out.');
    expect(text).toContain('Yes, revoke all 1');
  });

  it('signs another browser out from this one: its npsso then fails at ssocookie and authorize, while this browser keeps working', async () => {
    const someone = await person();
    const a = await browser(someone, UA.chromeMac);
    const b = await browser(someone, UA.firefoxWindows);
    await works(b);
    const { text, csrf } = await accountPage(a);
    const { id } = onlyBrowserRow(text);
    const res = await a.post(`/account/browsers/${id}/signout`, { csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account');
    await signedOut(b);
    await works(a);
    const after = await accountPage(a);
    expect(after.text).toContain('<div class="alert ok" role="status"><strong>Firefox on Windows</strong> was signed out. That browser must sign in again to use your account.</div>');
    expect(browserRows(after.text)).toEqual([]);
    expect(after.text).toContain('You are not signed in anywhere else');
    expect((await accountPage(a)).text).not.toContain('was signed out');
    // Again: it is gone, and the answer says so.
    const again = await a.post(`/account/browsers/${id}/signout`, { csrf });
    expect(again.status).toBe(404);
    expect(again.body).toContain('Browser not found');
  });

  it('refuses to sign out another browser without the CSRF token, and that browser stays signed in', async () => {
    const someone = await person();
    const a = await browser(someone, UA.chromeMac);
    const b = await browser(someone, UA.firefoxWindows);
    const { id } = onlyBrowserRow((await accountPage(a)).text);
    expect((await a.post(`/account/browsers/${id}/signout`, { csrf: 'forged' })).status).toBe(403);
    expect((await a.post(`/account/browsers/${id}/signout`, {})).status).toBe(403);
    await works(b);
    expect(browserRows((await accountPage(a)).text).map((r) => r.id)).toEqual([id]);
  });

  it('sends a sign-out from someone not signed in to the sign-in page and ends nothing', async () => {
    const { s } = f;
    const someone = await person();
    const a = await browser(someone, UA.chromeMac);
    const b = await browser(someone, UA.firefoxWindows);
    const { id } = onlyBrowserRow((await accountPage(a)).text);
    const res = await new Browser(s).post(`/account/browsers/${id}/signout`, { csrf: 'x' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/signin?return_to=%2Faccount');
    await works(b);
  });

  it('answers 404 for another person’s browser, this browser and a made-up id, and ends none of them', async () => {
    const { s } = f;
    const victim = await person();
    const v1 = await browser(victim, UA.chromeMac);
    const v2 = await browser(victim, UA.firefoxWindows);
    const { id: victimSession } = onlyBrowserRow((await accountPage(v1)).text);
    const mallory = await browser(await person(), UA.edgeWindows);
    const { csrf } = await accountPage(mallory);
    const res = await mallory.post(`/account/browsers/${victimSession}/signout`, { csrf });
    expect(res.status).toBe(404);
    expect(res.body).toContain('Browser not found');
    await works(v2);
    // This browser's own session is not an "other browser" (that is /signout).
    const { id: v1Session } = onlyBrowserRow((await accountPage(v2)).text);
    const { csrf: v1Csrf } = await accountPage(v1);
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
    const { s, photos } = f;
    const someone = await person();
    const a = await browser(someone, UA.chromeMac);
    const b = await browser(someone, UA.firefoxWindows);
    const c = await browser(someone, UA.iphoneSafari);
    const fromA = await appGrant(s, a.npsso!, photos, 'node');
    const fromB = await appGrant(s, b.npsso!, photos, 'okhttp/4.12.0');
    const other = await browser(await person(), UA.edgeWindows);
    const othersGrant = await appGrant(s, other.npsso!, photos, 'node');
    const { text, csrf } = await accountPage(a);
    expect(browserRows(text)).toHaveLength(2);
    expect(text).toContain('All 2 apps will have to ask you to sign in again. All 2 other browsers will be signed out.');
    expect(text).toContain('Yes, revoke all 4');
    const res = await a.post('/account/sessions/revoke-all', { csrf });
    expect(res.status).toBe(303);
    await signedOut(b);
    await signedOut(c);
    expect(await refreshOutcome(s, photos, fromA.refresh_token)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await refreshOutcome(s, photos, fromB.refresh_token)).toEqual({ status: 400, error: 'invalid_grant' });
    await works(a);
    await works(other);
    expect(await refreshOutcome(s, photos, othersGrant.refresh_token)).toEqual({ status: 200 });
    const after = await accountPage(a);
    expect(after.text).toContain('<strong>2 apps were</strong> signed out. None of them can get new tokens until you sign in to them again. <strong>2 other browsers were</strong> signed out too.');
    expect(after.text).toContain('Chrome on macOS <span class="badge ok">Current session</span>');
    expect(after.text).toContain('You are not signed in anywhere else');
    // `works(a)` above only got a code, never exchanged: no new grant.
    expect(after.text).toContain('Apps and devices <span class="count">0</span>');
  });

  it('shows a forged notice cookie only as escaped text, and none when its count is not a number', async () => {
    const a = await browser(await person(), UA.chromeMac);
    a.jar.set('kt_notice', encodeURIComponent('revoked-all:2:<b>x</b>'));
    const { text } = await accountPage(a);
    expect(text).not.toContain('role="status"');
    a.jar.set('kt_notice', encodeURIComponent('browser:<img src=x>'));
    const forged = await accountPage(a);
    expect(forged.text).toContain('<strong>&#60;img src=x&#62;</strong> was signed out.');
  });
});
