/**
 * A real browser (Debian's Chromium through playwright-core): home page → "Sign in" → form →
 * the npsso cookie, read back as PlayStation's /api/v1/ssocookie JSON. Skipped only when
 * Chromium is missing outside CI; in CI it must run.
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, type TestBrowser } from '../test-support/chromium.js';
import { aClient } from '../test-support/clients.js';
import { PATHS } from '../test-support/paths.js';
import { aPerson, type Person } from '../test-support/people.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

describe.skipIf(!browserAvailable)('signing in with a real browser', () => {
  let s: TestServer;
  let chromium: TestBrowser | undefined;
  let browser: BrowserContext;
  let ada: Person;

  beforeAll(async () => {
    s = await startTestServer();
    ada = await aPerson(s, { name: 'Ada' });
    chromium = await launchBrowser();
    browser = chromium.context;
  }, 30_000);
  afterAll(async () => {
    await chromium?.close();
    await s?.close();
  });

  it('shows the clear message on the page for a wrong password, and sets no npsso', async () => {
    const page = await browser.newPage();
    await page.goto(`${s.url}/signin`);
    await page.fill('input[name=email]', ada.email);
    await page.fill('input[name=password]', 'not the password');
    await Promise.all([page.waitForURL(`${s.url}/signin`), page.click('button[type=submit]')]);
    await expect(page.locator('[role=alert]').textContent()).resolves.toBe('Wrong email or password.');
    await page.screenshot({ path: '/tmp/keyturn-signin-error.png' });
    // The email stays filled in, the password does not.
    expect(await page.inputValue('input[name=email]')).toBe(ada.email);
    expect(await page.inputValue('input[name=password]')).toBe('');
    expect((await browser.cookies(s.url)).find((c) => c.name === 'npsso')).toBeUndefined();
    await page.close();
  });

  it('signs in from the home page and reads the same npsso at /api/v1/ssocookie', async () => {
    const page = await browser.newPage();
    await page.goto(`${s.url}/`);
    await Promise.all([page.waitForURL(`${s.url}/signin`), page.getByRole('link', { name: 'Sign in' }).first().click()]);
    expect(await page.locator('form input').count()).toBe(3); // csrf, email, password
    expect(await page.locator('form button[type=submit], form input[type=submit]').count()).toBe(1);
    await page.screenshot({ path: '/tmp/keyturn-signin.png', fullPage: true });

    await page.fill('input[name=email]', ada.email);
    await page.fill('input[name=password]', ada.password);
    await Promise.all([page.waitForURL(`${s.url}/`), page.click('button[type=submit]')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('You are signed in');

    const response = await page.goto(`${s.url}${PATHS.ssoCookie}`);
    expect(response?.status()).toBe(200);
    const body = JSON.parse(await page.locator('body').innerText()) as { npsso: string };
    expect(body.npsso).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const cookie = (await browser.cookies(s.url)).find((c) => c.name === 'npsso');
    expect(cookie).toMatchObject({ value: body.npsso, httpOnly: true, sameSite: 'Lax', path: '/' });
    // Session cookie? No: it lasts about two months.
    expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(59 * 86_400_000);
    await page.close();
  });

  it('comes back to the authorize request after signing in, and lands on the client with a code', async () => {
    await browser.clearCookies();
    const redirect = `${s.url}/client-callback`;
    const app = await aClient(s, { redirectUri: redirect, scope: 'openid' });
    const page = await browser.newPage();
    const query = new URLSearchParams({ client_id: app.id, redirect_uri: redirect, response_type: 'code', scope: 'openid', state: 'from-the-browser' });
    await page.goto(`${s.url}${PATHS.authorize}?${query.toString()}`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.fill('input[name=email]', ada.email);
    await page.fill('input[name=password]', ada.password);
    await Promise.all([page.waitForURL(/\/client-callback\?/), page.click('button[type=submit]')]);
    const landed = new URL(page.url());
    expect(landed.origin + landed.pathname).toBe(redirect);
    expect(landed.searchParams.get('code')).toMatch(/^v3\.[A-Za-z0-9_-]{43}$/);
    expect(landed.searchParams.get('state')).toBe('from-the-browser');
    expect(landed.searchParams.get('iss')).toBe(s.issuer);
    await page.close();
  });
});
