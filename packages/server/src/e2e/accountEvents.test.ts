/** The account page shows the person their own recent security events, newest first, and nobody else's. */
import { describe, expect, it } from 'vitest';
import { accountPage, appGrant } from '../test-support/accountPage.js';
import { addresses, Browser } from '../test-support/browser.js';
import { aClient } from '../test-support/clients.js';
import { revoke } from '../test-support/endpoints.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

/** The events listed on a page: their kind and the line under it. */
function listedEvents(page: string): Array<{ type: string; title: string; sub: string }> {
  return [...page.matchAll(/<li class="event" data-event="([^"]+)">\s*<p class="session-title">([^<]*)<\/p>\s*<p class="session-sub">([\s\S]*?)<\/p>/g)].map((m) => ({
    type: m[1]!,
    title: m[2]!,
    sub: m[3]!.replace(/<[^>]+>/g, ''),
  }));
}

describe('recent security events on the account page', () => {
  const f = useServer({ config: { gcIntervalSec: 0 } }, async (s) => ({ photos: await aClient(s, { name: 'Photo Sync' }) }));
  const address = addresses('127.0.6.');

  it("lists the person's own events, newest first, with the app and the address, and none of another person's", async () => {
    const { s, photos } = f;
    const ada = await aPerson(s);
    const eve = await aPerson(s);
    const from = address();
    expect((await new Browser(s, { from }).signIn(ada.email, 'not the password')).status).toBe(401);
    const b = await Browser.signedIn(s, ada, { from });
    await Browser.signedIn(s, eve, { from: address() });
    const app = await appGrant(s, b.npsso!, photos, 'photo-sync/1.0');
    expect((await revoke(s, photos, app.refresh_token)).status).toBe(200);

    const events = listedEvents((await accountPage(b)).text);
    expect(events.map((e) => [e.type, e.title])).toEqual([
      ['grant.revoked', 'App signed out'],
      ['grant.issued', 'App signed in'],
      ['signin.succeeded', 'Signed in'],
      ['signin.failed', 'Failed sign-in'],
      ['user.added', 'Account created'],
    ]);
    expect(events[0]!.sub).toContain(`app ${photos.id} · from 127.0.0.1`);
    expect(events[2]!.sub).toContain(`from ${from}`);
    expect(events[4]!.sub).toContain('by the administrator');
  });

  it('shows at most the ten newest', async () => {
    const { s } = f;
    const bob = await aPerson(s);
    const from = address();
    for (let i = 0; i < 3; i++) expect((await new Browser(s, { from }).signIn(bob.email, `wrong ${i}`)).status).toBe(401);
    let b: Browser | undefined;
    for (let i = 0; i < 8; i++) b = await Browser.signedIn(s, bob, { from });
    const events = listedEvents((await accountPage(b!)).text);
    expect(events).toHaveLength(10);
    expect(events.map((e) => e.type)).toEqual([...Array(8).fill('signin.succeeded'), 'signin.failed', 'signin.failed']);
  });
});
