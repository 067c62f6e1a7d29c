/**
 * Debian's Chromium driven by playwright-core, for the browser tests: never a browser
 * download, a fresh profile folder each time (launch() refuses --user-data-dir), and the flags
 * this machine's closed network needs.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';

/** The two viewports pages are checked at: a phone 390 px wide, and a desktop. */
export const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

/** Browser tests are skipped only when Chromium is missing outside CI; in CI they must run. */
export const browserAvailable = existsSync(CHROMIUM) || Boolean(process.env.CI);

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh profile; `close()` it afterwards (the profile folder goes with it). */
export async function launchBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'keyturn-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      ...(options.viewport ? { viewport: options.viewport } : {}),
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    return {
      context,
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Collects the console errors and page errors of `page` into `problems` (a CSP violation shows
 * up there); the browser's own request for the missing /favicon.ico is not one.
 */
export function watchPage(page: Page, problems: string[]): Page {
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(`${m.text()} ${m.location().url}`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return page;
}

/** Asserts the page does not scroll sideways at its current viewport. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  // A string, evaluated in the page: the tests are type-checked without the DOM library.
  const { scroll, width } = await page.evaluate<{ scroll: number; width: number }>('({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth })');
  expect(scroll).toBeLessThanOrEqual(width);
}
