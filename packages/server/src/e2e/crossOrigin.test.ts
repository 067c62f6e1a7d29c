/**
 * Host header poisoning and cross-origin reads, from the outside: the issuer and every
 * redirect come from the configuration, never from Host or X-Forwarded-Host, and no CORS
 * header lets a foreign origin read the npsso, tokens or user info.
 */
import { describe, expect, it } from 'vitest';
import { addresses, Browser } from '../test-support/browser.js';
import { aClient } from '../test-support/clients.js';
import { raw } from '../test-support/http.js';
import { endpoint, METADATA_PATHS, PATHS } from '../test-support/paths.js';
import { aPerson, PASSWORD } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('Host header poisoning and cross-origin reads', () => {
  const address = addresses();

  const f = useServer({}, async (s) => {
    const ada = await aPerson(s, { name: 'Ada' });
    await aClient(s, { id: 'web', redirectUris: ['https://good.example/cb', 'https://good.example/cb2'], scope: 'openid email' });
    return { ada };
  });

  it('takes the issuer and every redirect from its configuration, never from Host or X-Forwarded-Host', async () => {
    const { s, ada } = f;
    const forged = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
    for (const path of METADATA_PATHS) {
      const res = await raw(s.url + path, { headers: forged });
      expect(res.status).toBe(200);
      expect(res.body).not.toContain('evil.example');
      expect(JSON.parse(res.body).issuer).toBe(s.issuer);
    }
    const toSignIn = await raw(`${s.url}${PATHS.authorize}?${new URLSearchParams({ client_id: 'web', redirect_uri: 'https://good.example/cb', response_type: 'code', scope: 'openid' }).toString()}`, { headers: forged });
    expect(String(toSignIn.headers.location)).toMatch(/^\/signin\?return_to=/);
    const browser = await Browser.signedIn(s, ada, { from: address() });
    const back = await browser.get(`${PATHS.authorize}?${new URLSearchParams({ client_id: 'web', redirect_uri: 'https://good.example/cb', response_type: 'code', scope: 'openid' }).toString()}`, forged);
    expect(new URL(String(back.headers.location)).searchParams.get('iss')).toBe(s.issuer);
    const signedIn = await browser.signIn(ada.email, PASSWORD, { return_to: '/account' });
    expect(signedIn.headers.location).toBe('/account');
  });

  it('grants no cross-origin read of the npsso, tokens or user info (no CORS headers for a foreign Origin)', async () => {
    const { s, ada } = f;
    const browser = await Browser.signedIn(s, ada, { from: address() });
    const origin = { origin: 'https://evil.example' };
    const answers = [
      await browser.get(PATHS.ssoCookie, origin),
      await browser.get('/account', origin),
      await raw(endpoint(s, 'userinfo'), { headers: { ...origin, authorization: 'Bearer x.y.z' } }),
      await raw(endpoint(s, 'token'), { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'POST' } }),
      await raw(s.url + PATHS.ssoCookie, { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'cookie' } }),
    ];
    for (const a of answers) {
      expect(Object.keys(a.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });
});
