/**
 * The account page over plain HTTP, its apps: who may see it, what it lists, and revoking one
 * app's session or all of them — only ever the signed-in person's own. (Other browsers:
 * accountBrowsers.)
 */
import { describe, expect, it } from 'vitest';
import { accountPage, appGrant, UA } from '../test-support/accountPage.js';
import { Browser } from '../test-support/browser.js';
import { aClient } from '../test-support/clients.js';
import { DAY, frozenClock, MINUTE } from '../test-support/clock.js';
import { csrfFrom } from '../test-support/http.js';
import { refreshOutcome } from '../test-support/oauth.js';
import { aPerson, type Person } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('the account page', () => {
  const clock = frozenClock();
  const f = useServer({ now: clock.now, config: { gcIntervalSec: 0 } }, async (s) => {
    const ada = await aPerson(s, { name: 'Ada' });
    const mallory = await aPerson(s);
    const photos = await aClient(s, { name: 'Photo Sync' });
    const bot = await aClient(s);
    return { ada, mallory, photos, bot };
  });

  /** A browser signed in as `person` from Safari on an iPhone. */
  const signedIn = (person: Person) => Browser.signedIn(f.s, person, { userAgent: UA.iphoneSafari });
  const dead = { status: 400, error: 'invalid_grant' };

  it('sends a visitor who is not signed in to the sign-in page, and back afterwards', async () => {
    const { s } = f;
    const b = new Browser(s);
    const res = await b.get('/account');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/signin?return_to=%2Faccount');
    const html = (await b.get('/signin?return_to=%2Faccount')).body;
    expect(html).toContain('name="return_to" value="/account"');
    const bob = await aPerson(s);
    const signIn = await b.post('/signin', { email: bob.email, password: bob.password, csrf: csrfFrom(html)!, return_to: '/account' });
    expect(signIn.headers.location).toBe('/account');
    expect((await accountPage(b)).status).toBe(200);
  });

  it('sends a revoke from someone not signed in to the sign-in page and revokes nothing', async () => {
    const { s } = f;
    const b = new Browser(s);
    const res = await b.post('/account/sessions/some-grant/revoke', { csrf: 'x' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/signin?return_to=%2Faccount');
    expect((await b.post('/account/sessions/revoke-all', {})).status).toBe(303);
  });

  it('shows an empty state and this browser when no app is signed in', async () => {
    const { ada } = f;
    const page = await accountPage(await signedIn(ada));
    expect(page.status).toBe(200);
    expect(page.text).toContain('No apps are signed in as you');
    expect(page.text).toContain('Safari on iPhone <span class="badge ok">Current session</span>');
    expect(page.text).toContain(`Signed in as <strong>Ada</strong> (${ada.email}).`);
    expect(page.text).not.toContain('Revoke all');
    expect(page.text).not.toMatch(/style=|<script/i);
  });

  it('lists each live grant with client name, device hint and relative plus exact times', async () => {
    const { s, ada, photos } = f;
    const b = await signedIn(ada);
    const started = clock.now();
    const grant = await appGrant(s, b.npsso!, photos, 'node');
    clock.advance(2 * MINUTE);
    const page = await accountPage(b);
    const row = new RegExp(`<li class="session" data-grant="${grant.grantId}">([\\s\\S]*?)</li>`).exec(page.text)?.[1] ?? '';
    expect(row).toContain('Photo Sync <span class="badge">Signed in from this browser</span>');
    expect(row).toContain(`Node.js app · <code>${photos.id}</code>`);
    expect(row).toContain(`<time datetime="${new Date(started).toISOString()}">2 minutes ago</time>`);
    expect(row).toContain(`<time datetime="${new Date(started + 60 * DAY).toISOString()}">in 2 months</time>`);
    expect(row).toMatch(/<span class="exact">\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC<\/span>/);
    expect(row).toContain(`action="/account/sessions/${grant.grantId}/revoke"`);
    expect(page.text).toContain('Yes, revoke all');
  });

  it('refuses a revoke without the CSRF token and leaves the grant working', async () => {
    const { s, ada, photos } = f;
    const b = await signedIn(ada);
    const grant = await appGrant(s, b.npsso!, photos, 'node');
    const res = await b.post(`/account/sessions/${grant.grantId}/revoke`, { csrf: 'forged' });
    expect(res.status).toBe(403);
    expect((await b.post(`/account/sessions/${grant.grantId}/revoke`, {})).status).toBe(403);
    expect(await refreshOutcome(s, photos, grant.refresh_token)).toEqual({ status: 200 });
  });

  it('does not let one person revoke another person’s grant', async () => {
    const { s, ada, mallory, bot } = f;
    const adaBrowser = await signedIn(ada);
    const grant = await appGrant(s, adaBrowser.npsso!, bot, 'curl/8.5.0');
    const malloryBrowser = await signedIn(mallory);
    const { csrf } = await accountPage(malloryBrowser);
    const res = await malloryBrowser.post(`/account/sessions/${grant.grantId}/revoke`, { csrf });
    expect(res.status).toBe(404);
    expect(res.body).toContain('Session not found');
    expect(await refreshOutcome(s, bot, grant.refresh_token)).toEqual({ status: 200 });
    expect((await accountPage(adaBrowser)).text).toContain(`data-grant="${grant.grantId}"`);
    // Mallory's revoke-all touches only Mallory's grants.
    expect((await malloryBrowser.post('/account/sessions/revoke-all', { csrf })).status).toBe(303);
    expect(await refreshOutcome(s, bot, grant.refresh_token)).toEqual({ status: 200 });
  });

  it('revokes one session: its refresh token fails with invalid_grant, the page confirms once, the others stay', async () => {
    const { s, ada, photos, bot } = f;
    const b = await signedIn(ada);
    const doomed = await appGrant(s, b.npsso!, photos, 'node');
    const kept = await appGrant(s, b.npsso!, bot, 'node');
    const { csrf } = await accountPage(b);
    const res = await b.post(`/account/sessions/${doomed.grantId}/revoke`, { csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account');
    expect(await refreshOutcome(s, photos, doomed.refresh_token)).toEqual(dead);
    expect(await refreshOutcome(s, bot, kept.refresh_token)).toEqual({ status: 200 });
    const after = await accountPage(b);
    expect(after.text).toContain('<strong>Photo Sync</strong> was signed out.');
    expect(after.text).not.toContain(`data-grant="${doomed.grantId}"`);
    expect(after.text).toContain(`data-grant="${kept.grantId}"`);
    expect((await accountPage(b)).text).not.toContain('was signed out');
    // Revoking it again: it is gone from the list, and the answer does not pretend otherwise.
    expect((await b.post('/account/sessions/not-a-grant/revoke', { csrf })).status).toBe(404);
  });

  it('revokes all of the person’s sessions at once', async () => {
    const { s, ada, photos, bot } = f;
    const b = await signedIn(ada);
    const one = await appGrant(s, b.npsso!, photos, 'node');
    const two = await appGrant(s, b.npsso!, bot, 'node');
    const { csrf, text } = await accountPage(b);
    const live = (text.match(/<li class="session"/g) ?? []).length;
    expect(live).toBeGreaterThanOrEqual(2);
    const res = await b.post('/account/sessions/revoke-all', { csrf });
    expect(res.status).toBe(303);
    expect(await refreshOutcome(s, photos, one.refresh_token)).toEqual(dead);
    expect(await refreshOutcome(s, bot, two.refresh_token)).toEqual(dead);
    const after = await accountPage(b);
    expect(after.text).toContain(`<strong>${live} apps were</strong> signed out.`);
    expect(after.text).toContain('No apps are signed in as you');
  });
});
