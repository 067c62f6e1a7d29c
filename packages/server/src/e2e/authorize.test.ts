/**
 * The authorization endpoint: exact redirect URIs (never a redirect to an unregistered one),
 * scope limits, state and nonce, PKCE for public clients, offline access, and what happens
 * without a signed-in person.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { aClient, PSN } from '../test-support/clients.js';
import { jwks as publishedKeys } from '../test-support/endpoints.js';
import { BROWSER_ACCEPT } from '../test-support/http.js';
import { authorize, codeFrom, pkcePair, tokenRequest } from '../test-support/oauth.js';
import { PATHS, endpoint } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('the authorization endpoint', () => {

  const f = useServer({}, async (s) => {
    const ada = await aPerson(s);
    await aClient(s, PSN);
    const web = await aClient(s, { redirectUris: ['https://app.example/callback', 'http://127.0.0.1:9999/cb'], scope: 'openid email profile offline_access' });
    const mobile = await aClient(s, { public: true, redirectUri: 'com.example.app:/oauth2redirect', scope: 'openid offline_access' });
    const npsso = await ada.signIn();
    const jwks = createLocalJWKSet(await publishedKeys(s));
    return { ada, npsso, jwks, web, mobile };
  });

  const redirectParams = (location: string | null) => new URLSearchParams(location?.split('?')[1] ?? '');

  async function page(params: Record<string, string>, cookie = true) {
    const res = await fetch(`${endpoint(f.s, 'authorize')}?${new URLSearchParams(params).toString()}`, { redirect: 'manual', headers: { accept: BROWSER_ACCEPT, ...(cookie ? { cookie: `npsso=${f.npsso}` } : {}) } });
    return { status: res.status, location: res.headers.get('location'), type: res.headers.get('content-type'), body: await res.text() };
  }

  it('redirects to a registered custom-scheme URI, with the code, the state and the issuer', async () => {
    const { s, npsso } = f;
    const { status, location } = await authorize(s, npsso, { client_id: PSN.id, redirect_uri: PSN.redirectUri, response_type: 'code', scope: PSN.scope, state: 'st-1' });
    expect(status).toBe(302);
    expect(location!.startsWith(`${PSN.redirectUri}/?code=v3.`)).toBe(true);
    const q = redirectParams(location);
    expect(q.get('state')).toBe('st-1');
    expect(q.get('iss')).toBe(s.issuer);
    // psn-api reads the code after "redirect/".
    expect(new URLSearchParams(location!.split('redirect/')[1]).get('code')).toBe(q.get('code'));
  });

  it('refuses near-miss redirect URIs with an error page and never redirects to them', async () => {
    const { web } = f;
    const misses = [
      `${web.redirectUri}/`,
      `${web.redirectUri}?x=1`,
      'https://APP.example/callback',
      'http://app.example/callback',
      'https://app.example/callback#frag',
      'https://app.example.evil.example/callback',
      `${PSN.redirectUri}/`,
      'http://127.0.0.1:9998/cb',
      '',
    ];
    for (const redirect_uri of misses) {
      const res = await page({ client_id: web.id, redirect_uri, response_type: 'code', scope: 'openid', state: 'st' });
      expect({ redirect_uri, status: res.status, location: res.location }).toEqual({ redirect_uri, status: 400, location: null });
      expect(res.type).toMatch(/^text\/html/);
      // An empty redirect_uri counts as absent: with two registered URIs the request must name one.
      expect(res.body).toMatch(redirect_uri === '' ? /<h1>Missing redirect URI<\/h1>/ : /<h1>Unregistered redirect URI<\/h1>/);
    }
  });

  it('shows an error page for an unknown or missing client, without redirecting', async () => {
    const { s, npsso, web } = f;
    const unknown = await page({ client_id: 'nobody', redirect_uri: web.redirectUri, response_type: 'code' });
    expect(unknown).toMatchObject({ status: 400, location: null });
    expect(unknown.body).toContain('<h1>Unknown client</h1>');
    const missing = await page({ redirect_uri: web.redirectUri, response_type: 'code' });
    expect(missing).toMatchObject({ status: 400, location: null });
    expect(missing.body).toContain('<h1>Missing client</h1>');
    const twice = await fetch(`${endpoint(s, 'authorize')}?client_id=${web.id}&client_id=${web.id}&redirect_uri=${encodeURIComponent(web.redirectUri)}&response_type=code`, {
      redirect: 'manual',
      headers: { cookie: `npsso=${npsso}` },
    });
    expect(twice.status).toBe(400);
    expect(twice.headers.get('location')).toBeNull();
  });

  it('answers a program (no text/html in Accept) with RFC 6749 JSON that names the cause, never a redirect', async () => {
    const { s, npsso, web } = f;
    const asProgram = async (params: Record<string, string>, accept?: string) => {
      const res = await fetch(`${endpoint(s, 'authorize')}?${new URLSearchParams(params).toString()}`, {
        redirect: 'manual',
        headers: { cookie: `npsso=${npsso}`, ...(accept ? { accept } : {}) },
      });
      return { status: res.status, location: res.headers.get('location'), type: res.headers.get('content-type'), body: (await res.json()) as unknown };
    };
    expect(await asProgram({ client_id: 'nobody', redirect_uri: web.redirectUri, response_type: 'code' })).toEqual({
      status: 400,
      location: null,
      type: expect.stringMatching(/^application\/json/),
      body: { error: 'invalid_client', error_description: 'Unknown client: This application is not registered with Keyturn.' },
    });
    expect((await asProgram({ client_id: web.id, redirect_uri: 'https://evil.example/cb', response_type: 'code' }, 'application/json')).body).toEqual({
      error: 'invalid_request',
      error_description: 'Unregistered redirect URI: The redirect URI is not registered for this application.',
    });
    expect((await asProgram({ redirect_uri: web.redirectUri, response_type: 'code' }, '*/*')).body).toEqual({
      error: 'invalid_request',
      error_description: 'Missing client: The request does not name a client (client_id).',
    });
  });

  it('sends invalid_scope back to the client, with the state, for a scope the client may not have', async () => {
    const { s, npsso, web } = f;
    const { status, location } = await authorize(s, npsso, { client_id: web.id, redirect_uri: web.redirectUri, response_type: 'code', scope: 'openid admin', state: 'st-2' });
    expect(status).toBe(302);
    expect(location!.startsWith(`${web.redirectUri}?`)).toBe(true);
    const q = redirectParams(location);
    expect(q.get('error')).toBe('invalid_scope');
    expect(q.get('state')).toBe('st-2');
    expect(q.get('code')).toBeNull();
  });

  it('sends unsupported_response_type back for anything but response_type=code', async () => {
    const { s, npsso, web } = f;
    const { location } = await authorize(s, npsso, { client_id: web.id, redirect_uri: web.redirectUri, response_type: 'token', scope: 'openid', state: 'st-3' });
    expect(redirectParams(location).get('error')).toBe('unsupported_response_type');
    expect(redirectParams(location).get('state')).toBe('st-3');
  });

  it('carries the nonce into the ID token and the state back to the client', async () => {
    const { s, ada, npsso, jwks, web } = f;
    const { location } = await authorize(s, npsso, {
      client_id: web.id, redirect_uri: web.redirectUri, response_type: 'code', scope: 'openid email', state: 'a b&c=d', nonce: 'n-0S6_WzA2Mj',
    });
    expect(redirectParams(location).get('state')).toBe('a b&c=d');
    const res = await tokenRequest(s, { grant_type: 'authorization_code', code: codeFrom(location), redirect_uri: web.redirectUri }, web.auth);
    expect(res.status).toBe(200);
    const { payload } = await jwtVerify(res.body.id_token as string, jwks, { issuer: s.issuer, audience: web.id });
    expect(payload.nonce).toBe('n-0S6_WzA2Mj');
    expect(payload.email).toBe(ada.email);
  });

  it('requires PKCE with S256 from a public client and refuses plain', async () => {
    const { s, npsso, mobile } = f;
    const base = { client_id: mobile.id, redirect_uri: mobile.redirectUri, response_type: 'code', scope: 'openid', state: 'st-4' };
    const none = await authorize(s, npsso, base);
    expect(none.location!.startsWith(`${mobile.redirectUri}?`)).toBe(true);
    expect(redirectParams(none.location).get('error')).toBe('invalid_request');
    expect(redirectParams(none.location).get('code')).toBeNull();

    const { verifier, challenge } = pkcePair();
    const plain = await authorize(s, npsso, { ...base, code_challenge: verifier, code_challenge_method: 'plain' });
    expect(redirectParams(plain.location).get('error')).toBe('invalid_request');
    const implicitPlain = await authorize(s, npsso, { ...base, code_challenge: verifier });
    expect(redirectParams(implicitPlain.location).get('error')).toBe('invalid_request');

    const ok = await authorize(s, npsso, { ...base, code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await tokenRequest(s, { grant_type: 'authorization_code', code: codeFrom(ok.location), redirect_uri: mobile.redirectUri, client_id: mobile.id, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('openid');
  });

  it('gives a refresh token for access_type=offline or scope offline_access, and none otherwise', async () => {
    const { s, npsso, web } = f;
    const base = { client_id: web.id, redirect_uri: web.redirectUri, response_type: 'code' };
    const cases: Array<[Record<string, string>, boolean]> = [
      [{ scope: 'openid', access_type: 'offline' }, true],
      [{ scope: 'openid offline_access' }, true],
      [{ scope: 'openid' }, false],
      [{ scope: 'openid', access_type: 'online' }, false],
    ];
    for (const [extra, offline] of cases) {
      const { location } = await authorize(s, npsso, { ...base, ...extra });
      const res = await tokenRequest(s, { grant_type: 'authorization_code', redirect_uri: web.redirectUri, code: codeFrom(location) }, web.auth);
      expect(res.status).toBe(200);
      if (offline) {
        expect(res.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(res.body.refresh_token_expires_in).toBe(60 * 86400);
      } else {
        expect(res.body).not.toHaveProperty('refresh_token');
        expect(res.body).not.toHaveProperty('refresh_token_expires_in');
      }
    }
  });

  it('sends a browser without a session to the sign-in page, remembering the request', async () => {
    const { s, npsso, web } = f;
    const params = { client_id: web.id, redirect_uri: web.redirectUri, response_type: 'code', scope: 'openid', state: 'st-5' };
    for (const cookie of [null, 'x'.repeat(64)]) {
      const { status, location } = await authorize(s, cookie, params);
      expect(status).toBe(302);
      const to = new URL(location!, s.url);
      expect(to.pathname).toBe('/signin');
      expect(to.searchParams.get('return_to')).toBe(`${PATHS.authorize}?${new URLSearchParams(params).toString()}`);
    }
    // prompt=login asks for a fresh sign-in even with a session, and is dropped from return_to (no loop).
    const fresh = await authorize(s, npsso, { ...params, prompt: 'login' });
    const to = new URL(fresh.location!, s.url);
    expect(to.pathname).toBe('/signin');
    expect(to.searchParams.get('return_to')).not.toContain('prompt');
  });

  it('answers login_required to the client for prompt=none without a session', async () => {
    const { s, npsso, web } = f;
    const { status, location } = await authorize(s, null, { client_id: web.id, redirect_uri: web.redirectUri, response_type: 'code', scope: 'openid', state: 'st-6', prompt: 'none' });
    expect(status).toBe(302);
    expect(location!.startsWith(`${web.redirectUri}?`)).toBe(true);
    expect(redirectParams(location).get('error')).toBe('login_required');
    expect(redirectParams(location).get('state')).toBe('st-6');
    const signedIn = await authorize(s, npsso, { client_id: web.id, redirect_uri: web.redirectUri, response_type: 'code', scope: 'openid', prompt: 'none' });
    expect(redirectParams(signedIn.location).get('code')).toMatch(/^v3\./);
  });
});
