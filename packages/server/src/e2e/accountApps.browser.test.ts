/**
 * The account page in a real browser (Debian's Chromium through playwright-core): sign in,
 * let apps get tokens through the real authorize + token flow, open /account, click "Revoke",
 * and show that the app's refresh token is dead. Screenshots at desktop and phone sizes go to
 * /tmp/keyturn-account-*.png. Skipped only when Chromium is missing outside CI.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appGrant } from '../test-support/accountPage.js';
import { browserAvailable, expectNoSidewaysScroll, launchBrowser, watchPage, type TestBrowser } from '../test-support/chromium.js';
import { aClient, PSN, type TestClient } from '../test-support/clients.js';
import { DAY, frozenClock, HOUR, MINUTE } from '../test-support/clock.js';
import { refreshOutcome } from '../test-support/oauth.js';
import { aPerson, type Person } from '../test-support/people.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe.skipIf(!browserAvailable)('the account page in a real browser', () => {
  let s: TestServer;
  let chromium: TestBrowser | undefined;
  let browser: BrowserContext;
  const clock = frozenClock(Date.now() - 3 * DAY);
  const problems: string[] = [];
  let ada: Person;
  let psn: TestClient;
  let bot: TestClient;

  beforeAll(async () => {
    s = await startTestServer({ now: clock.now, config: { gcIntervalSec: 0 } });
    ada = await aPerson(s, { name: 'Ada Lovelace' });
    psn = await aClient(s, { ...PSN, name: 'PlayStation App', scope: `${PSN.scope} openid` });
    bot = await aClient(s, { id: 'trophy-bot' });
    chromium = await launchBrowser({ viewport: DESKTOP });
    browser = chromium.context;
  }, 30_000);
  afterAll(async () => {
    await chromium?.close();
    await s?.close();
  });

  /** Console errors (a CSP violation shows up there) fail the test. */
  const watch = (page: Page) => watchPage(page, problems);

  async function npsso(): Promise<string> {
    const cookie = (await browser.cookies(s.url)).find((c) => c.name === 'npsso');
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{64}$/);
    return cookie!.value;
  }

  it('signs in, lists the apps, revokes one with a click, and its refresh token then fails with invalid_grant', async () => {
    const page = watch(await browser.newPage());
    await page.goto(`${s.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.fill('input[name=email]', ada.email);
    await page.fill('input[name=password]', ada.password);
    await Promise.all([page.waitForURL(`${s.url}/account`), page.click('button[type=submit]')]);

    // Nothing yet: the empty state.
    await expect(page.getByText('No apps are signed in as you').isVisible()).resolves.toBe(true);
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: '/tmp/keyturn-account-empty-phone.png', fullPage: true });
    await page.setViewportSize(DESKTOP);

    // Three days ago the PlayStation App signed in; it last refreshed two hours ago. The bot signed in minutes ago.
    const psnRefresh = (await appGrant(s, await npsso(), psn, 'okhttp/4.12.0', PSN.scope)).refresh_token;
    clock.advance(3 * DAY - 2 * HOUR);
    expect((await refreshOutcome(s, psn, psnRefresh)).status).toBe(200);
    clock.advance(2 * HOUR - 5 * MINUTE);
    const botRefresh = (await appGrant(s, await npsso(), bot, 'node')).refresh_token;
    clock.advance(5 * MINUTE);

    await page.reload();
    const rows = page.locator('li.session');
    await expect(rows.count()).resolves.toBe(2);
    const psnRow = rows.filter({ hasText: 'PlayStation App' });
    await expect(psnRow.locator('.session-sub').innerText()).resolves.toBe(`Android app · ${PSN.id}`);
    await expect(psnRow.locator('time').allInnerTexts()).resolves.toEqual(['3 days ago', '2 hours ago', 'in 2 months']);
    await expect(rows.filter({ hasText: 'trophy-bot' }).locator('time').first().innerText()).resolves.toBe('5 minutes ago');
    await page.screenshot({ path: '/tmp/keyturn-account-desktop.png', fullPage: true });
    await expectNoSidewaysScroll(page);
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: '/tmp/keyturn-account-phone.png', fullPage: true });
    await expectNoSidewaysScroll(page);
    await page.setViewportSize(DESKTOP);

    // "Revoke" on the PlayStation App row.
    await Promise.all([page.waitForURL(`${s.url}/account`), psnRow.getByRole('button', { name: /^Revoke PlayStation App/ }).click()]);
    await expect(page.getByRole('status').innerText()).resolves.toContain('PlayStation App was signed out.');
    await expect(rows.count()).resolves.toBe(1);
    await page.screenshot({ path: '/tmp/keyturn-account-revoked-desktop.png', fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: '/tmp/keyturn-account-revoked-phone.png', fullPage: true });

    expect(await refreshOutcome(s, psn, psnRefresh)).toEqual({ status: 400, error: 'invalid_grant' });
    expect((await refreshOutcome(s, bot, botRefresh)).status).toBe(200);
    expect(problems).toEqual([]);
  });

  it('revokes everything after confirming in the "Revoke all" disclosure', async () => {
    const page = watch(await browser.newPage());
    await page.setViewportSize(DESKTOP);
    await page.goto(`${s.url}/account`);
    const remaining = await page.locator('li.session').count();
    expect(remaining).toBe(1);
    await page.getByText('Revoke all…').click();
    await Promise.all([page.waitForURL(`${s.url}/account`), page.getByRole('button', { name: `Yes, revoke all ${remaining}` }).click()]);
    await expect(page.getByRole('status').innerText()).resolves.toBe('1 app was signed out. None of them can get new tokens until you sign in to them again.');
    await expect(page.getByText('No apps are signed in as you').isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
  });
});
