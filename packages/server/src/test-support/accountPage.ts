/** Reading the account page in tests: its sessions and other browsers, and the devices that made them. */
import { expect } from 'vitest';
import type { Browser } from './browser.js';
import type { TestClient } from './clients.js';
import { csrfFrom } from './http.js';
import { signInTokens } from './oauth.js';
import type { Target } from './paths.js';

/** User-Agent headers of the devices the tests sign in from, and the names the page gives them. */
export const UA = {
  /** "Safari on iPhone" */
  iphoneSafari: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  /** "Chrome on macOS" */
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  /** "Firefox on Windows" */
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  /** "Edge on Windows" */
  edgeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
} as const;

/** The account page as `browser` sees it, with the CSRF token of its forms ('' when none). */
export async function accountPage(browser: Browser): Promise<{ status: number; text: string; csrf: string }> {
  const res = await browser.get('/account');
  return { status: res.status, text: res.body, csrf: csrfFrom(res.body) ?? '' };
}

/**
 * What an app does with a person's npsso: authorize and exchange the code, sending its own
 * User-Agent. Returns the refresh token and the grant (the `sid` of the access token).
 *
 * @example
 * ```ts
 * const grant = await appGrant(s, browser.npsso!, photos, 'node');
 * await browser.post(`/account/sessions/${grant.grantId}/revoke`, { csrf });
 * ```
 */
export async function appGrant(target: Target, npsso: string, client: TestClient, userAgent: string, scope = 'openid email'): Promise<{ refresh_token: string; grantId: string }> {
  const body = await signInTokens(target, npsso, client, { scope }, { userAgent });
  const sid = JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString()).sid as string;
  return { refresh_token: body.refresh_token, grantId: sid };
}

/** The "Other browsers" rows of a page: SSO session id and the row's markup. */
export function browserRows(page: string): Array<{ id: string; row: string }> {
  return [...page.matchAll(/<li class="session browser" data-sso="([^"]+)">([\s\S]*?)<\/li>/g)].map((m) => ({ id: m[1]!, row: m[2]! }));
}

/** The one "Other browsers" row of a page (fails the test when there is not exactly one). */
export function onlyBrowserRow(page: string): { id: string; row: string } {
  const rows = browserRows(page);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}
