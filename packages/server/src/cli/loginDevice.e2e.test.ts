/**
 * The "done when" for device sign-in: `keyturn login --device` runs as a child process,
 * Chromium opens the link it prints, signs in, checks the code and approves (or denies); the CLI
 * says "Signed in as …" and `keyturn token` then gives a token that userinfo accepts. Skipped
 * only when Chromium is missing outside CI.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCliVault } from '@keyturn/client';
import { browserAvailable, launchBrowser, VIEWPORTS, watchPage, type TestBrowser } from '../test-support/chromium.js';
import { ENV, keyturn } from '../test-support/cli.js';
import { aClient } from '../test-support/clients.js';
import { startKeyturn, type RunningKeyturn } from '../test-support/cliChild.js';
import { DEVICE_GRANTS } from '../test-support/device.js';
import { userinfo } from '../test-support/endpoints.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

const CLIENT_ID = 'shelf-bot';
const BUILT = new URL('../../dist/cli/main.js', import.meta.url);

describe.skipIf(!browserAvailable)('keyturn login --device with the real server and Chromium', () => {
  const f = useServer({}, async (s) => {
    // A public client allowed the device grant (as `keyturn client add --public --grant-types …,device_code`).
    await aClient(s, { id: CLIENT_ID, name: 'Shelf Bot', public: true, scope: 'openid email', grantTypes: DEVICE_GRANTS });
    return { ada: await aPerson(s, { name: 'Ada Lovelace' }) };
  });
  let chromium: TestBrowser | undefined;
  let home: string;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(BUILT)) throw new Error('packages/server/dist is missing: run `npm run build` first (npm test does)');
    chromium = await launchBrowser({ viewport: VIEWPORTS.phone });
  }, 30_000);
  afterAll(() => chromium?.close());
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'keyturn-device-e2e-'));
    return () => rmSync(home, { recursive: true, force: true });
  });

  /** Starts the CLI and answers the link (verification_uri_complete) and the code it printed. */
  async function startLogin(): Promise<{ login: RunningKeyturn; link: string; code: string }> {
    const login = startKeyturn(['login', '--device', '--server', f.s.url, '--client-id', CLIENT_ID], { ...ENV, KEYTURN_HOME: home });
    const [, code] = await login.waitFor(/and enter the code {2}(\S+)\n/);
    const [, link] = await login.waitFor(/Or open (\S+), or scan this QR code/);
    return { login, link: link!, code: code! };
  }

  /** Opens the CLI's link (signing in first when needed) and presses Continue on the prefilled code. */
  async function consentPage(link: string, code: string): Promise<Page> {
    const page = watchPage(await chromium!.context.newPage(), problems);
    await page.goto(link);
    if (new URL(page.url()).pathname === '/signin') {
      await page.fill('input[name=email]', f.ada.email);
      await page.fill('input[name=password]', f.ada.password);
      await Promise.all([page.waitForURL(/\/device\?user_code=/), page.click('button[type=submit]')]);
    }
    expect(await page.inputValue('input[name=user_code]')).toBe(code);
    await Promise.all([page.waitForURL(`${f.s.url}/device`), page.getByRole('button', { name: 'Continue' }).click()]);
    return page;
  }

  it('signs in on the phone, the CLI says who signed in, and keyturn token gives a token userinfo accepts', async () => {
    const { login, link, code } = await startLogin();
    expect(link).toBe(`${f.s.url}/device?user_code=${code}`);
    expect(login.stdout()).toContain(`    ${f.s.url}/device\n`);
    const page = await consentPage(link, code);
    await Promise.all([page.waitForURL(`${f.s.url}/device`), page.getByRole('button', { name: 'Approve' }).click()]);
    await expect(page.locator('h1').innerText()).resolves.toBe('Device signed in');
    await page.screenshot({ path: '/tmp/keyturn-cli-device-approved.png', fullPage: true });
    await page.close();

    expect(await login.exited).toBe(0);
    expect(login.stderr()).toBe('');
    expect(login.stdout()).toContain(`Signed in as ${f.ada.email} (profile "default", ${f.s.url}).`);
    const token = await keyturn(['token'], { env: { ...ENV, KEYTURN_HOME: home } });
    expect(token.code).toBe(0);
    const accessToken = token.stdout.trim();
    const me = await userinfo(f.s, accessToken);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: f.ada.email });
    expect(problems).toEqual([]);
  });

  it('ends with one line and saves nothing when the person denies on the phone', async () => {
    const { login, link, code } = await startLogin();
    const page = await consentPage(link, code);
    await Promise.all([page.waitForURL(`${f.s.url}/device`), page.getByRole('button', { name: 'Deny' }).click()]);
    await expect(page.locator('h1').innerText()).resolves.toBe('Request denied');
    await page.close();

    expect(await login.exited).toBe(1);
    expect(login.stderr()).toBe(`keyturn: the sign-in was denied on the device page, so nothing was saved: run keyturn login --device --server ${f.s.url} --client-id ${CLIENT_ID} to try again\n`);
    expect(await (await openCliVault({ home, env: {} })).load('default')).toBeNull();
  });
});

describe('keyturn login --device with the real server, before any browser', () => {
  const f = useServer({}, async (s) => ({ web: await aClient(s, { id: 'web-only', public: true, scope: 'openid' }) }));

  it('names the missing grant type when the client may not use device sign-in, and saves nothing', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'keyturn-device-e2e-'));
    try {
      const r = await keyturn(['login', '--device', '--server', f.s.url, '--client-id', f.web.id], { env: { ...ENV, KEYTURN_HOME: home } });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        "keyturn: the server does not let client 'web-only' use device sign-in (unauthorized_client): allow it on the server with `keyturn client add --id web-only … --grant-types authorization_code,refresh_token,device_code`, or pass --client-id of a client that may\n",
      );
      expect(await (await openCliVault({ home, env: {} })).load('default')).toBeNull();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
