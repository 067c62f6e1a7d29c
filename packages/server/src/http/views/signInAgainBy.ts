/** "Sign in again by 24 Jan": the day a grant ends, as people read it (UTC; the year only when it is not this year). */
import { html, type SafeHtml } from './html.js';

const DAY_MONTH = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const DAY_MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const WARN_WITHIN_MS = 7 * 86_400_000;

/**
 * The day of `at` in UTC: "24 Jan", or "24 Jan 2027" when `at` is in another year than `now`.
 *
 * @example
 * ```ts
 * exactDay(Date.UTC(2030, 0, 24), Date.UTC(2030, 0, 1)); // '24 Jan'
 * ```
 */
export function exactDay(at: number, now: number = Date.now()): string {
  const sameYear = new Date(at).getUTCFullYear() === new Date(now).getUTCFullYear();
  return (sameYear ? DAY_MONTH : DAY_MONTH_YEAR).format(new Date(at));
}

/**
 * The account page's line for one app: when its sign-in ends and it must be signed in again,
 * marked `soon` within a week of the end.
 *
 * @example
 * ```ts
 * html`${signInAgainBy(grant.expiresAt, now)}`; // <p class="renew">Sign in again by <strong>24 Jan</strong></p>
 * ```
 */
export function signInAgainBy(expiresAt: number, now: number): SafeHtml {
  const soon = expiresAt - now <= WARN_WITHIN_MS;
  return html`<p class="${soon ? 'renew soon' : 'renew'}">Sign in again by <strong>${exactDay(expiresAt, now)}</strong></p>`;
}
