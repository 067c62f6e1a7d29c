/**
 * "Other browsers" on the account page in a real browser (Debian's Chromium through
 * playwright-core): the person is also signed in from two other devices (plain HTTP with their
 * own User-Agents); Chromium lists them, signs one out with a click, and that device's npsso
 * then fails. Desktop screenshot: /tmp/keyturn-account-browsers.png. Skipped only when Chromium
 * is missing outside CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UA } from '../test-support/accountPage.js';
import { Browser } from '../test-support/browser.js';
import { browserAvailable, expectNoSidewaysScroll, launchBrowser, watchPage, type TestBrowser } from '../test-support/chromium.js';
import { DAY, frozenClock } from '../test-support/clock.js';
import { ssoCookie } from '../test-support/endpoints.js';
import { aPerson, type Person } from '../test-support/people.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

const DESKTOP = { width: 1280, height: 800 };

describe.skipIf(!browserAvailable)('other browsers on the account page in a real browser', () => {
  let s: TestServer;
  let chromium: TestBrowser | undefined;
  const clock = frozenClock(Date.now() - 10 * DAY);
  const problems: string[] = [];
  let grace: Person;

  beforeAll(async () => {
    s = await startTestServer({ now: clock.now, config: { gcIntervalSec: 0 } });
    grace = await aPerson(s, { name: 'Grace Hopper' });
    chromium = await launchBrowser({ viewport: DESKTOP });
  }, 30_000);
  afterAll(async () => {
    await chromium?.close();
    await s?.close();
  });

  /** Signs in through the form as another device would, sending its own User-Agent; returns its npsso. */
  const signInElsewhere = async (userAgent: string) => (await Browser.signedIn(s, grace, { userAgent })).npsso!;
  const ssocookieStatus = async (npsso: string) => (await ssoCookie(s, npsso)).status;

  it('lists the other browsers and signs one out with a click; its npsso then fails and this one keeps working', async () => {
    // A week ago on the Windows PC, two days ago on the phone, and now in this browser.
    const pc = await signInElsewhere(UA.firefoxWindows);
    clock.advance(5 * DAY);
    const phone = await signInElsewhere(UA.iphoneSafari);
    clock.advance(2 * DAY);

    const page = watchPage(await chromium!.context.newPage(), problems);
    await page.goto(`${s.url}/signin?return_to=%2Faccount`);
    await page.fill('input[name=email]', grace.email);
    await page.fill('input[name=password]', grace.password);
    await Promise.all([page.waitForURL(`${s.url}/account`), page.click('button[type=submit]')]);

    const rows = page.locator('li.session.browser');
    await expect(rows.locator('.session-title').allInnerTexts()).resolves.toEqual(['Safari on iPhone', 'Firefox on Windows']);
    await expect(rows.filter({ hasText: 'Firefox on Windows' }).locator('time').allInnerTexts()).resolves.toEqual(['last week', 'in 2 months']);
    await expect(page.locator('h2').allInnerTexts()).resolves.toEqual(['This browser', 'Other browsers\n2', 'Apps and devices\n0', 'Sign out of all apps and other browsers', 'Password', 'Recent security events']);
    await page.screenshot({ path: '/tmp/keyturn-account-browsers.png', fullPage: true });
    await expectNoSidewaysScroll(page);

    await Promise.all([page.waitForURL(`${s.url}/account`), rows.filter({ hasText: 'Firefox on Windows' }).getByRole('button', { name: /^Sign out Firefox on Windows/ }).click()]);
    await expect(page.getByRole('status').innerText()).resolves.toBe('Firefox on Windows was signed out. That browser must sign in again to use your account.');
    await expect(rows.locator('.session-title').allInnerTexts()).resolves.toEqual(['Safari on iPhone']);
    await page.screenshot({ path: '/tmp/keyturn-account-browsers-signed-out.png', fullPage: true });

    expect(await ssocookieStatus(pc)).toBe(401);
    expect(await ssocookieStatus(phone)).toBe(200);
    const own = (await chromium!.context.cookies(s.url)).find((c) => c.name === 'npsso')!.value;
    expect(await ssocookieStatus(own)).toBe(200);
    expect(problems).toEqual([]);
  });
});
