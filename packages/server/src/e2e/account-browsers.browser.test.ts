/**
 * "Other browsers" on the account page in a real browser (Debian's Chromium through
 * playwright-core): the person is also signed in from two other devices (plain HTTP with their
 * own User-Agents); Chromium lists them, signs one out with a click, and that device's npsso
 * then fails. Desktop screenshot: /tmp/keyturn-account-browsers.png. Skipped only when Chromium
 * is missing outside CI.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, type TestBrowser } from '../test-support/browser.js';
import { cookieValue, startTestServer, type TestServer } from '../test-support/server.js';

const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;
const DESKTOP = { width: 1280, height: 800 };
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

describe.skipIf(!browserAvailable)('other browsers on the account page in a real browser', () => {
  let s: TestServer;
  let chromium: TestBrowser | undefined;
  let clock = Date.now() - 10 * 24 * 60 * MINUTE;
  const problems: string[] = [];

  beforeAll(async () => {
    s = await startTestServer({ now: () => clock, config: { gcIntervalSec: 0 } });
    await s.addUser('grace@example.com', PASSWORD, 'Grace Hopper');
    chromium = await launchBrowser({ viewport: DESKTOP });
  }, 30_000);
  afterAll(async () => {
    await chromium?.close();
    await s?.close();
  });

  /** Signs in through the form as another device would, sending its own User-Agent; returns its npsso. */
  async function signInElsewhere(userAgent: string): Promise<string> {
    const form = await fetch(`${s.url}/signin`, { headers: { 'user-agent': userAgent } });
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const res = await fetch(`${s.url}/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent, cookie: `kt_csrf=${cookieValue(form.headers.getSetCookie(), 'kt_csrf')}` },
      body: new URLSearchParams({ email: 'grace@example.com', password: PASSWORD, csrf }).toString(),
    });
    expect(res.status).toBe(303);
    return cookieValue(res.headers.getSetCookie(), 'npsso')!;
  }

  async function ssocookieStatus(npsso: string): Promise<number> {
    const res = await fetch(`${s.url}/api/v1/ssocookie`, { headers: { cookie: `npsso=${npsso}` } });
    await res.arrayBuffer();
    return res.status;
  }

  function watch(page: Page): Page {
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(`${m.text()} ${m.location().url}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return page;
  }

  it('lists the other browsers and signs one out with a click; its npsso then fails and this one keeps working', async () => {
    // A week ago on the Windows PC, two days ago on the phone, and now in this browser.
    const pc = await signInElsewhere(FIREFOX_WINDOWS);
    clock += 5 * 24 * 60 * MINUTE;
    const phone = await signInElsewhere(SAFARI_IPHONE);
    clock += 2 * 24 * 60 * MINUTE;

    const page = watch(await chromium!.context.newPage());
    await page.goto(`${s.url}/signin?return_to=%2Faccount`);
    await page.fill('input[name=email]', 'grace@example.com');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${s.url}/account`), page.click('button[type=submit]')]);

    const rows = page.locator('li.session.browser');
    await expect(rows.locator('.session-title').allInnerTexts()).resolves.toEqual(['Safari on iPhone', 'Firefox on Windows']);
    await expect(rows.filter({ hasText: 'Firefox on Windows' }).locator('time').allInnerTexts()).resolves.toEqual(['last week', 'in 2 months']);
    await expect(page.locator('h2').allInnerTexts()).resolves.toEqual(['This browser', 'Other browsers\n2', 'Apps and devices\n0', 'Sign out of all apps and other browsers']);
    await page.screenshot({ path: '/tmp/keyturn-account-browsers.png', fullPage: true });
    // A string runs in the page; this file is type-checked without the DOM library.
    const { scroll, width } = await page.evaluate<{ scroll: number; width: number }>('({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth })');
    expect(scroll).toBeLessThanOrEqual(width);

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
