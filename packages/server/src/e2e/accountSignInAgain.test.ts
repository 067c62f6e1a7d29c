/**
 * The account page says, per app, by which day it must be signed in again ("sign in again by
 * 24 Jan"), from its grant's expiry, and marks the ones ending within a week.
 */
import { describe, expect, it } from 'vitest';
import { accountPage, appGrant } from '../test-support/accountPage.js';
import { Browser } from '../test-support/browser.js';
import { aClient } from '../test-support/clients.js';
import { DAY, frozenClock, HOUR } from '../test-support/clock.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('when each app must be signed in again', () => {
  const clock = frozenClock(Date.UTC(2030, 0, 1, 9));
  const f = useServer({ now: clock.now, config: { gcIntervalSec: 0 } }, async (s) => ({
    ada: await aPerson(s),
    monthly: await aClient(s, { name: 'Monthly Bot', refreshTtlSec: 23 * 86_400 }),
    weekly: await aClient(s, { name: 'Weekly Bot', refreshTtlSec: 5 * 86_400 }),
    yearly: await aClient(s, { name: 'Yearly Bot', refreshTtlSec: 400 * 86_400 }),
  }));

  it('shows the day of each grant expiry, with the year only when it is another year, and marks the one ending within a week', async () => {
    const { s, ada, monthly, weekly, yearly } = f;
    const browser = await Browser.signedIn(s, ada);
    for (const client of [monthly, weekly, yearly]) await appGrant(s, browser.npsso!, client, 'node');
    clock.advance(2 * HOUR);
    const page = (await accountPage(browser)).text;
    const rowOf = (name: string) => new RegExp(`<li class="session" data-grant="[^"]+">(?:(?!</li>)[\\s\\S])*?${name}[\\s\\S]*?</li>`).exec(page)?.[0] ?? '';
    expect(rowOf('Monthly Bot')).toContain('<p class="renew">Sign in again by <strong>24 Jan</strong></p>');
    expect(rowOf('Weekly Bot')).toContain('<p class="renew soon">Sign in again by <strong>6 Jan</strong></p>');
    expect(rowOf('Yearly Bot')).toContain('<p class="renew">Sign in again by <strong>5 Feb 2031</strong></p>');
  });

  it('moves the day with the grant, not with the page view', async () => {
    const { s, ada, monthly } = f;
    const browser = await Browser.signedIn(s, ada);
    clock.advance(10 * DAY);
    await appGrant(s, browser.npsso!, monthly, 'node');
    expect((await accountPage(browser)).text).toContain('Sign in again by <strong>3 Feb</strong>');
  });
});
