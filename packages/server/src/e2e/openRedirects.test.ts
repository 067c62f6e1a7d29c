/**
 * Open redirects, from the outside: after sign-in (return_to) and at the authorization
 * endpoint (redirect_uri), the browser is never sent off-site, and a state with CR/LF cannot
 * split the answer.
 */
import { describe, expect, it } from 'vitest';
import { addresses, Browser } from '../test-support/browser.js';
import { aClient } from '../test-support/clients.js';
import { type Answer } from '../test-support/http.js';
import { PATHS } from '../test-support/paths.js';
import { aPerson, PASSWORD } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('open redirects', () => {
  const address = addresses();

  const f = useServer({}, async (s) => {
    const ada = await aPerson(s, { name: 'Ada' });
    const origin = new URL(s.url).origin;
    await aClient(s, { id: 'web', redirectUris: ['https://good.example/cb', 'https://good.example/cb2'], scope: 'openid email' });
    return { ada, origin };
  });

  /** Where a browser goes with this Location header, as an origin. */
  const landsOn = (a: Answer) => new URL(String(a.headers.location), f.s.url).origin;

  it('never sends the browser off-site after sign-in, whatever return_to says', async () => {
    const { s, ada, origin } = f;
    const evil = ['//evil.example', '//evil.example/x', '/\\evil.example', '\\\\evil.example', 'https://evil.example', 'http:evil.example', 'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' //evil.example', '/%2F%2Fevil.example', '/%5Cevil.example', '/..//evil.example', '/\t/evil.example', 'data:text/html,<script>alert(1)</script>'];
    const browser = new Browser(s, { from: address() });
    for (const returnTo of evil) {
      // On the form (GET) and on the POST.
      const form = await browser.get(`/signin?${new URLSearchParams({ return_to: returnTo }).toString()}`);
      expect(form.status).toBe(200);
      const res = await browser.signIn(ada.email, PASSWORD, { return_to: returnTo });
      expect({ returnTo, status: res.status, origin: landsOn(res) }).toEqual({ returnTo, status: 303, origin });
      // What survives must be a plain same-origin path.
      expect(String(res.headers.location)).toMatch(/^\/(?![/\\])/);
    }
  });

  it('never redirects to a redirect_uri that is not registered exactly, even for a signed-in person', async () => {
    const { s, ada } = f;
    const browser = await Browser.signedIn(s, ada, { from: address() });
    const misses = [
      'https://GOOD.example/cb',
      'https://good.example/CB',
      'https://good.example/cb/',
      'https://good.example/cb?x=1',
      'https://good.example/cb?',
      'https://good.example/cb#',
      'https://good.example/cb#frag',
      'https://good.example@evil.example/cb',
      'https://good.example%40evil.example/cb',
      'https://evil.example/cb?https://good.example/cb',
      'https://good.example.evil.example/cb',
      'https://good.example:443/cb',
      'https://good.example/cb/../cb',
      'https://good.example/cb%2F..%2Fevil',
      ' https://good.example/cb',
      'https://good.example/cb ',
      '//evil.example/cb',
      'javascript:alert(1)//https://good.example/cb',
    ];
    for (const redirect_uri of misses) {
      // With a request that is otherwise valid, one that would send an error back (bad scope), and prompt=none.
      for (const extra of [{ scope: 'openid' }, { scope: 'admin' }, { scope: 'openid', prompt: 'none' }, { response_type: 'token' }] as Array<Record<string, string>>) {
        const query = new URLSearchParams({ client_id: 'web', redirect_uri, response_type: 'code', state: 'st', ...extra });
        const res = await browser.get(`${PATHS.authorize}?${query.toString()}`);
        expect({ redirect_uri, extra, status: res.status, location: res.headers.location }).toEqual({ redirect_uri, extra, status: 400, location: undefined });
        expect(res.body).toContain('Unregistered redirect URI');
      }
    }
    // The registered one still works (the refusals above are not an accident of the setup).
    const ok = await browser.get(`${PATHS.authorize}?${new URLSearchParams({ client_id: 'web', redirect_uri: 'https://good.example/cb', response_type: 'code', scope: 'openid', state: 'st' }).toString()}`);
    expect(ok.status).toBe(302);
    expect(String(ok.headers.location)).toMatch(/^https:\/\/good\.example\/cb\?code=v3\./);
  });

  it('encodes CR/LF in state into the Location header instead of splitting the response', async () => {
    const { s, ada } = f;
    const browser = await Browser.signedIn(s, ada, { from: address() });
    const state = 'x\r\nSet-Cookie: pwned=1\r\n\r\n<script>alert(1)</script>';
    const query = new URLSearchParams({ client_id: 'web', redirect_uri: 'https://good.example/cb', response_type: 'code', scope: 'openid', state });
    for (const q of [query, new URLSearchParams({ ...Object.fromEntries(query), scope: 'admin' })]) {
      const res = await browser.get(`${PATHS.authorize}?${q.toString()}`);
      expect(res.status).toBe(302);
      const location = String(res.headers.location);
      expect(location).not.toMatch(/[\r\n]/);
      expect(new URL(location).searchParams.get('state')).toBe(state);
      expect(res.headers['set-cookie'] ?? []).not.toContainEqual(expect.stringContaining('pwned'));
    }
  });
});
