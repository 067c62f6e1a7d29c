/**
 * The /device page in a real browser (Debian's Chromium through playwright-core), as a person
 * does it on a phone: open the device's link, sign in, check the code, Approve; the device
 * then gets its tokens. Screenshots at phone (390 px) and desktop width go to
 * /tmp/keyturn-device-*.png. Skipped only when Chromium is missing outside CI.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectNoSidewaysScroll, launchBrowser, VIEWPORTS, watchPage, type TestBrowser } from '../test-support/chromium.js';
import { aClient } from '../test-support/clients.js';
import { DEVICE_GRANTS, pollDevice, startDevice } from '../test-support/device.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

const { phone: PHONE, desktop: DESKTOP } = VIEWPORTS;

describe.skipIf(!browserAvailable)('the /device page in a real browser', () => {
  const f = useServer({ config: { gcIntervalSec: 0 } }, async (s) => ({
    ada: await aPerson(s, { name: 'Ada Lovelace' }),
    bot: await aClient(s, { id: 'trophy-bot', name: 'Trophy Bot', grantTypes: DEVICE_GRANTS, scope: 'openid email offline_access psn:mobile.v2.core' }),
  }));
  let chromium: TestBrowser | undefined;
  const problems: string[] = [];
  beforeAll(async () => {
    chromium = await launchBrowser({ viewport: PHONE });
  }, 30_000);
  afterAll(() => chromium?.close());

  /** Phone first, then desktop, each without sideways scrolling; back to the phone afterwards. */
  async function shoot(page: Page, name: string): Promise<void> {
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `/tmp/keyturn-device-${name}-phone.png`, fullPage: true });
    await page.setViewportSize(DESKTOP);
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `/tmp/keyturn-device-${name}-desktop.png`, fullPage: true });
    await page.setViewportSize(PHONE);
  }

  it('signs in from the device link, shows the code prefilled, names the app and what it asks, and approves with a tap', async () => {
    const { s, ada, bot } = f;
    const started = await startDevice(s, bot);
    const page = watchPage(await chromium!.context.newPage(), problems);
    await page.goto(started.verification_uri_complete);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.fill('input[name=email]', ada.email);
    await page.fill('input[name=password]', ada.password);
    await Promise.all([page.waitForURL(/\/device\?user_code=/), page.click('button[type=submit]')]);
    expect(await page.inputValue('input[name=user_code]')).toBe(started.user_code);
    await shoot(page, 'code');

    await Promise.all([page.waitForURL(`${s.url}/device`), page.getByRole('button', { name: 'Continue' }).click()]);
    await expect(page.locator('h1').innerText()).resolves.toBe('Allow Trophy Bot to use your account?');
    await expect(page.locator('.user-code strong').innerText()).resolves.toBe(started.user_code);
    const scopes = (await page.locator('.scopes li').allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
    expect(scopes).toEqual(['Know who you are openid', 'See your email address email', 'Stay signed in until you revoke it offline_access', 'psn:mobile.v2.core']);
    await expect(page.locator('.keeps').innerText()).resolves.toMatch(/^It keeps this access until you revoke it on your account page\. You will have to sign it in again by \d{1,2} [A-Z][a-z]{2}( \d{4})?\.$/);
    await shoot(page, 'consent');

    await Promise.all([page.waitForURL(`${s.url}/device`), page.getByRole('button', { name: 'Approve' }).click()]);
    await expect(page.locator('h1').innerText()).resolves.toBe('Device signed in');
    await shoot(page, 'approved');
    expect((await pollDevice(s, bot, started.device_code)).status).toBe(200);

    await page.goto(`${s.url}/account`);
    await expect(page.locator('li.session', { hasText: 'Trophy Bot' }).locator('.renew').innerText()).resolves.toMatch(/^Sign in again by \d{1,2} [A-Z][a-z]{2}( \d{4})?$/);
    await page.screenshot({ path: '/tmp/keyturn-device-account-phone.png', fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says clearly that a mistyped code is not valid, keeping what was typed', async () => {
    const { s } = f;
    const seen: string[] = [];
    const page = watchPage(await chromium!.context.newPage(), seen);
    await page.goto(`${s.url}/device`);
    await page.fill('input[name=user_code]', 'bcdf-ghjk');
    await Promise.all([page.waitForURL(`${s.url}/device`), page.getByRole('button', { name: 'Continue' }).click()]);
    await expect(page.locator('[role=alert]').innerText()).resolves.toBe('That code is not valid. Check the code your device shows: each code works once, for 10 minutes.');
    expect(await page.inputValue('input[name=user_code]')).toBe('bcdf-ghjk');
    await shoot(page, 'wrong-code');
    // The page's own 400 is the one thing the console reports: no CSP violation, no script error.
    expect(seen).toEqual([`Failed to load resource: the server responded with a status of 400 (Bad Request) ${s.url}/device`]);
    await page.close();
  });
});
