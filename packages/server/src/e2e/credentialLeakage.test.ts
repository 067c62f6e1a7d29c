/**
 * RFC 9700 4.2 and 4.3: nothing the server answers hands a code, a state or a token to a third
 * party through the Referer header or a URL: `Referrer-Policy: no-referrer` everywhere, no
 * third-party resource on its pages, and no access token taken from a query string.
 */
import { describe, expect, it } from 'vitest';
import { Browser } from '../test-support/browser.js';
import { aClient, REDIRECT } from '../test-support/clients.js';
import { authorize, signInTokens, tokenRequest } from '../test-support/oauth.js';
import { endpoint, PATHS } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('credential leakage through Referer headers and URLs', () => {
  const f = useServer({}, async (s) => {
    const who = await aPerson(s);
    return { who, app: await aClient(s), npsso: await who.signIn() };
  });

  it('sends Referrer-Policy: no-referrer on its pages, on the redirect to the client and on token answers', async () => {
    const { s, app, npsso } = f;
    const params = { client_id: app.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'secret-state' };
    const signInPage = await fetch(`${s.url}${PATHS.signin}?${new URLSearchParams({ return_to: `${PATHS.authorize}?${new URLSearchParams(params).toString()}` }).toString()}`);
    const toClient = await fetch(`${endpoint(s, 'authorize')}?${new URLSearchParams(params).toString()}`, { redirect: 'manual', headers: { cookie: `npsso=${npsso}` } });
    expect(toClient.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:9\/callback\?code=/);
    const tokenAnswer = await tokenRequest(s, { grant_type: 'authorization_code', code: 'v3.unknown' }, app.auth);
    for (const res of [signInPage, toClient, { headers: tokenAnswer.headers }]) expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('loads nothing from another site on its pages: no external script, style, image or frame', async () => {
    const { s, who } = f;
    const browser = await Browser.signedIn(s, who);
    for (const path of ['/', PATHS.signin, PATHS.account, '/no-such-page']) {
      const page = await browser.get(path);
      expect(page.body).not.toMatch(/<(script|iframe|img|link)\b[^>]*(src|href)="(https?:)?\/\//i);
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    }
  });

  it('takes no access token from a query string (RFC 6750 2.3 is not offered)', async () => {
    const { s, app, npsso } = f;
    const { access_token } = await signInTokens(s, npsso, app);
    const res = await fetch(`${endpoint(s, 'userinfo')}?${new URLSearchParams({ access_token }).toString()}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
  });
});
