/**
 * The account page in a real browser (Debian's Chromium through playwright-core): sign in,
 * let apps get tokens through the real authorize + token flow, open /account, click "Revoke",
 * and show that the app's refresh token is dead. Screenshots at desktop and phone sizes go to
 * /tmp/keyturn-account-*.png. Skipped only when Chromium is missing outside CI.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, type TestBrowser } from '../test-support/browser.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { PSN, authorize, basic, codeFrom } from './lib.js';

const PASSWORD = 'correct horse battery';
const BOT_REDIRECT = 'http://127.0.0.1:9/callback';
const MINUTE = 60_000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

describe.skipIf(!browserAvailable)('the account page in a real browser', () => {
  let s: TestServer;
  let chromium: TestBrowser | undefined;
  let browser: BrowserContext;
  let clock = Date.now() - 3 * 24 * 60 * MINUTE;
  const problems: string[] = [];

  beforeAll(async () => {
    s = await startTestServer({ now: () => clock, config: { gcIntervalSec: 0 } });
    await s.addUser('ada@example.com', PASSWORD, 'Ada Lovelace');
    await s.addClient({ id: PSN.clientId, name: 'PlayStation App', secret: PSN.clientSecret, redirectUris: [PSN.redirectUri], scope: `${PSN.scope} openid` });
    await s.addClient({ id: 'trophy-bot', secret: 'trophy-bot-secret-0123456789', redirectUris: [BOT_REDIRECT], scope: 'openid email offline_access' });
    chromium = await launchBrowser({ viewport: DESKTOP });
    browser = chromium.context;
  }, 30_000);
  afterAll(async () => {
    await chromium?.close();
    await s?.close();
  });

  /** Console errors (a CSP violation shows up there) fail the test. */
  function watch(page: Page): Page {
    page.on('console', (m) => {
      // The browser asks for /favicon.ico on its own; there is none.
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(`${m.text()} ${m.location().url}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return page;
  }

  async function npsso(): Promise<string> {
    const cookie = (await browser.cookies(s.url)).find((c) => c.name === 'npsso');
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{64}$/);
    return cookie!.value;
  }

  /** What an app does with the person's npsso: authorize, then exchange the code (with its own User-Agent). */
  async function appTokens(clientId: string, redirectUri: string, scope: string, auth: string, userAgent: string): Promise<string> {
    const { location } = await authorize(s.url, await npsso(), { client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope, access_type: 'offline' });
    const res = await fetch(`${s.url}/api/authz/v3/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth, 'user-agent': userAgent },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: codeFrom(location), redirect_uri: redirectUri }).toString(),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { refresh_token: string }).refresh_token;
  }

  async function refresh(refreshToken: string, auth: string): Promise<{ status: number; error: string | undefined }> {
    const res = await fetch(`${s.url}/api/authz/v3/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    });
    return { status: res.status, error: ((await res.json()) as { error?: string }).error };
  }

  async function noSideways(page: Page): Promise<void> {
    // A string, evaluated in the page: this file is type-checked without the DOM library.
    const { scroll, client } = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
    expect(scroll).toBeLessThanOrEqual(client);
  }

  it('signs in, lists the apps, revokes one with a click, and its refresh token then fails with invalid_grant', async () => {
    const page = watch(await browser.newPage());
    await page.goto(`${s.url}/account`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.fill('input[name=email]', 'ada@example.com');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${s.url}/account`), page.click('button[type=submit]')]);

    // Nothing yet: the empty state.
    await expect(page.getByText('No apps are signed in as you').isVisible()).resolves.toBe(true);
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: '/tmp/keyturn-account-empty-phone.png', fullPage: true });
    await page.setViewportSize(DESKTOP);

    // Three days ago the PlayStation App signed in; it last refreshed two hours ago. The bot signed in minutes ago.
    const psnAuth = basic(PSN.clientId, PSN.clientSecret);
    const psnRefresh = await appTokens(PSN.clientId, PSN.redirectUri, PSN.scope, psnAuth, 'okhttp/4.12.0');
    clock += 3 * 24 * 60 * MINUTE - 2 * 60 * MINUTE;
    expect((await refresh(psnRefresh, psnAuth)).status).toBe(200);
    clock += 2 * 60 * MINUTE - 5 * MINUTE;
    const botAuth = basic('trophy-bot', 'trophy-bot-secret-0123456789');
    const botRefresh = await appTokens('trophy-bot', BOT_REDIRECT, 'openid email', botAuth, 'node');
    clock += 5 * MINUTE;

    await page.reload();
    const rows = page.locator('li.session');
    await expect(rows.count()).resolves.toBe(2);
    const psnRow = rows.filter({ hasText: 'PlayStation App' });
    await expect(psnRow.locator('.session-sub').innerText()).resolves.toBe(`Android app · ${PSN.clientId}`);
    await expect(psnRow.locator('time').allInnerTexts()).resolves.toEqual(['3 days ago', '2 hours ago', 'in 2 months']);
    await expect(rows.filter({ hasText: 'trophy-bot' }).locator('time').first().innerText()).resolves.toBe('5 minutes ago');
    await page.screenshot({ path: '/tmp/keyturn-account-desktop.png', fullPage: true });
    await noSideways(page);
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: '/tmp/keyturn-account-phone.png', fullPage: true });
    await noSideways(page);
    await page.setViewportSize(DESKTOP);

    // "Revoke" on the PlayStation App row.
    await Promise.all([page.waitForURL(`${s.url}/account`), psnRow.getByRole('button', { name: /^Revoke PlayStation App/ }).click()]);
    await expect(page.getByRole('status').innerText()).resolves.toContain('PlayStation App was signed out.');
    await expect(rows.count()).resolves.toBe(1);
    await page.screenshot({ path: '/tmp/keyturn-account-revoked-desktop.png', fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: '/tmp/keyturn-account-revoked-phone.png', fullPage: true });

    expect(await refresh(psnRefresh, psnAuth)).toEqual({ status: 400, error: 'invalid_grant' });
    expect((await refresh(botRefresh, botAuth)).status).toBe(200);
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
