/**
 * Changing one's own password on the account page: the current password is required, the new
 * one meets the rules (and the message says why not), every other browser and every app is
 * signed out, this browser stays, and a confirmation is shown. CSRF as the other account forms.
 */
import { describe, expect, it } from 'vitest';
import { accountPage, appGrant, UA } from '../test-support/accountPage.js';
import { addresses, Browser } from '../test-support/browser.js';
import { aClient } from '../test-support/clients.js';
import { ssoCookie } from '../test-support/endpoints.js';
import { refreshOutcome } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

const NEW_PASSWORD = 'violet kettle anchor moss';

describe('changing your password on the account page', () => {
  const f = useServer({ config: { gcIntervalSec: 0 } }, async (s) => ({ photos: await aClient(s, { name: 'Photo Sync' }) }));
  const address = addresses('127.0.5.');
  const change = (b: Browser, csrf: string, current: string, next: string, again = next) =>
    b.post('/account/password', { csrf, current_password: current, new_password: next, new_password_again: again });

  it('changes it, signs out the other browser and every app, keeps this browser, and says so', async () => {
    const { s, photos } = f;
    const ada = await aPerson(s);
    const phone = await Browser.signedIn(s, ada, { userAgent: UA.iphoneSafari, from: address() });
    const laptop = await Browser.signedIn(s, ada, { userAgent: UA.chromeMac, from: address() });
    const app = await appGrant(s, phone.npsso!, photos, 'photo-sync/1.0');
    const { csrf } = await accountPage(laptop);

    const res = await change(laptop, csrf, ada.password, NEW_PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account');
    const page = await accountPage(laptop);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong>Your password was changed.</strong> 1 app and 1 other browser were signed out; this browser stays signed in.');
    expect((await ssoCookie(s, phone.npsso!)).status).not.toBe(200);
    expect((await ssoCookie(s, laptop.npsso!)).status).toBe(200);
    expect(await refreshOutcome(s, photos, app.refresh_token)).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect((await new Browser(s, { from: address() }).signIn(ada.email, ada.password)).status).toBe(401);
    expect((await new Browser(s, { from: address() }).signIn(ada.email, NEW_PASSWORD)).status).toBe(303);
    // The confirmation is shown once.
    expect((await accountPage(laptop)).text).not.toContain('Your password was changed.');
  });

  it.each([
    ['a wrong current password', 'not my password', NEW_PASSWORD, NEW_PASSWORD, 'Your current password is not right. Nothing was changed.'],
    ['a common password', null, 'password', 'password', 'This password is on a list of common and breached passwords, the first ones attackers try'],
    ['one character repeated', null, 'aaaaaaaaaaaa', 'aaaaaaaaaaaa', 'The password repeats one character or a short pattern'],
    ['a sequence of digits', null, '123456789012', '123456789012', 'This password is on a list of common and breached passwords'],
    ['two different new passwords', null, NEW_PASSWORD, `${NEW_PASSWORD}!`, 'The two new passwords are not the same. Nothing was changed.'],
    ['no new password', null, '', '', 'Enter your current password and a new one.'],
  ])('refuses %s with 400, says why on the page, and changes nothing', async (_what, current, next, again, why) => {
    const { s } = f;
    const bob = await aPerson(s);
    const b = await Browser.signedIn(s, bob, { from: address() });
    const other = await Browser.signedIn(s, bob, { from: address() });
    const { csrf } = await accountPage(b);
    const res = await change(b, csrf, current ?? bob.password, next, again);
    expect(res.status).toBe(400);
    expect(res.body).toContain(`<div class="alert bad" role="alert">${why}`);
    expect(res.body).toContain('12 or more recommended');
    expect(res.body).not.toContain(bob.password);
    expect((await ssoCookie(s, other.npsso!)).status).toBe(200);
    expect((await new Browser(s, { from: address() }).signIn(bob.email, bob.password)).status).toBe(303);
  });

  it('refuses a change without the CSRF token of the page, or from someone not signed in', async () => {
    const { s } = f;
    const cyd = await aPerson(s);
    const b = await Browser.signedIn(s, cyd, { from: address() });
    expect((await change(b, 'forged', cyd.password, NEW_PASSWORD)).status).toBe(403);
    const stranger = new Browser(s, { from: address() });
    const res = await change(stranger, 'x', cyd.password, NEW_PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/signin?return_to=%2Faccount');
    expect((await new Browser(s, { from: address() }).signIn(cyd.email, cyd.password)).status).toBe(303);
  });
});
