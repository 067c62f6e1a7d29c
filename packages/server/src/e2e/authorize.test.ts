/**
 * The authorization endpoint: exact redirect URIs (never a redirect to an unregistered one),
 * scope limits, state and nonce, PKCE for public clients, offline access, and what happens
 * without a signed-in person.
 */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { PSN, authorize, basic, codeFrom, pkcePair, tokenRequest } from './lib.js';

const AUTHZ = '/api/authz/v3/oauth/authorize';

describe('the authorization endpoint', () => {
  let s: TestServer;
  let npsso: string;
  let jwks: ReturnType<typeof createLocalJWKSet>;
  const web = { id: 'web-app', secret: 'web-app-secret-0123456789', redirect: 'https://app.example/callback' };
  const mobile = { id: 'mobile-app', redirect: 'com.example.app:/oauth2redirect' };

  beforeAll(async () => {
    s = await startTestServer();
    await s.addUser('ada@example.com', 'correct horse battery');
    await s.addClient({ id: PSN.clientId, secret: PSN.clientSecret, redirectUris: [PSN.redirectUri], scope: PSN.scope });
    await s.addClient({ id: web.id, secret: web.secret, redirectUris: [web.redirect, 'http://127.0.0.1:9999/cb'], scope: 'openid email profile offline_access' });
    await s.addClient({ id: mobile.id, public: true, redirectUris: [mobile.redirect], scope: 'openid offline_access' });
    npsso = await s.signIn('ada@example.com', 'correct horse battery');
    jwks = createLocalJWKSet((await (await fetch(`${s.url}/api/authz/v3/oauth/jwks`)).json()) as JSONWebKeySet);
  });
  afterAll(() => s.close());

  const redirectParams = (location: string | null) => new URLSearchParams(location?.split('?')[1] ?? '');

  async function page(params: Record<string, string>, cookie = true) {
    const res = await fetch(`${s.url}${AUTHZ}?${new URLSearchParams(params).toString()}`, { redirect: 'manual', headers: cookie ? { cookie: `npsso=${npsso}` } : {} });
    return { status: res.status, location: res.headers.get('location'), type: res.headers.get('content-type'), body: await res.text() };
  }

  it('redirects to a registered custom-scheme URI, with the code, the state and the issuer', async () => {
    const { status, location } = await authorize(s.url, npsso, { client_id: PSN.clientId, redirect_uri: PSN.redirectUri, response_type: 'code', scope: PSN.scope, state: 'st-1' });
    expect(status).toBe(302);
    expect(location!.startsWith(`${PSN.redirectUri}/?code=v3.`)).toBe(true);
    const q = redirectParams(location);
    expect(q.get('state')).toBe('st-1');
    expect(q.get('iss')).toBe(s.issuer);
    // psn-api reads the code after "redirect/".
    expect(new URLSearchParams(location!.split('redirect/')[1]).get('code')).toBe(q.get('code'));
  });

  it('refuses near-miss redirect URIs with an error page and never redirects to them', async () => {
    const misses = [
      `${web.redirect}/`,
      `${web.redirect}?x=1`,
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
    const unknown = await page({ client_id: 'nobody', redirect_uri: web.redirect, response_type: 'code' });
    expect(unknown).toMatchObject({ status: 400, location: null });
    expect(unknown.body).toContain('<h1>Unknown client</h1>');
    const missing = await page({ redirect_uri: web.redirect, response_type: 'code' });
    expect(missing).toMatchObject({ status: 400, location: null });
    expect(missing.body).toContain('<h1>Missing client</h1>');
    const twice = await fetch(`${s.url}${AUTHZ}?client_id=${web.id}&client_id=${web.id}&redirect_uri=${encodeURIComponent(web.redirect)}&response_type=code`, {
      redirect: 'manual',
      headers: { cookie: `npsso=${npsso}` },
    });
    expect(twice.status).toBe(400);
    expect(twice.headers.get('location')).toBeNull();
  });

  it('sends invalid_scope back to the client, with the state, for a scope the client may not have', async () => {
    const { status, location } = await authorize(s.url, npsso, { client_id: web.id, redirect_uri: web.redirect, response_type: 'code', scope: 'openid admin', state: 'st-2' });
    expect(status).toBe(302);
    expect(location!.startsWith(`${web.redirect}?`)).toBe(true);
    const q = redirectParams(location);
    expect(q.get('error')).toBe('invalid_scope');
    expect(q.get('state')).toBe('st-2');
    expect(q.get('code')).toBeNull();
  });

  it('sends unsupported_response_type back for anything but response_type=code', async () => {
    const { location } = await authorize(s.url, npsso, { client_id: web.id, redirect_uri: web.redirect, response_type: 'token', scope: 'openid', state: 'st-3' });
    expect(redirectParams(location).get('error')).toBe('unsupported_response_type');
    expect(redirectParams(location).get('state')).toBe('st-3');
  });

  it('carries the nonce into the ID token and the state back to the client', async () => {
    const { location } = await authorize(s.url, npsso, {
      client_id: web.id, redirect_uri: web.redirect, response_type: 'code', scope: 'openid email', state: 'a b&c=d', nonce: 'n-0S6_WzA2Mj',
    });
    expect(redirectParams(location).get('state')).toBe('a b&c=d');
    const res = await tokenRequest(s.url, { grant_type: 'authorization_code', code: codeFrom(location), redirect_uri: web.redirect }, basic(web.id, web.secret));
    expect(res.status).toBe(200);
    const { payload } = await jwtVerify(res.body.id_token as string, jwks, { issuer: s.issuer, audience: web.id });
    expect(payload.nonce).toBe('n-0S6_WzA2Mj');
    expect(payload.email).toBe('ada@example.com');
  });

  it('requires PKCE with S256 from a public client and refuses plain', async () => {
    const base = { client_id: mobile.id, redirect_uri: mobile.redirect, response_type: 'code', scope: 'openid', state: 'st-4' };
    const none = await authorize(s.url, npsso, base);
    expect(none.location!.startsWith(`${mobile.redirect}?`)).toBe(true);
    expect(redirectParams(none.location).get('error')).toBe('invalid_request');
    expect(redirectParams(none.location).get('code')).toBeNull();

    const { verifier, challenge } = pkcePair();
    const plain = await authorize(s.url, npsso, { ...base, code_challenge: verifier, code_challenge_method: 'plain' });
    expect(redirectParams(plain.location).get('error')).toBe('invalid_request');
    const implicitPlain = await authorize(s.url, npsso, { ...base, code_challenge: verifier });
    expect(redirectParams(implicitPlain.location).get('error')).toBe('invalid_request');

    const ok = await authorize(s.url, npsso, { ...base, code_challenge: challenge, code_challenge_method: 'S256' });
    const res = await tokenRequest(s.url, { grant_type: 'authorization_code', code: codeFrom(ok.location), redirect_uri: mobile.redirect, client_id: mobile.id, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('openid');
  });

  it('gives a refresh token for access_type=offline or scope offline_access, and none otherwise', async () => {
    const base = { client_id: web.id, redirect_uri: web.redirect, response_type: 'code' };
    const cases: Array<[Record<string, string>, boolean]> = [
      [{ scope: 'openid', access_type: 'offline' }, true],
      [{ scope: 'openid offline_access' }, true],
      [{ scope: 'openid' }, false],
      [{ scope: 'openid', access_type: 'online' }, false],
    ];
    for (const [extra, offline] of cases) {
      const { location } = await authorize(s.url, npsso, { ...base, ...extra });
      const res = await tokenRequest(s.url, { grant_type: 'authorization_code', redirect_uri: web.redirect, code: codeFrom(location) }, basic(web.id, web.secret));
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
    const params = { client_id: web.id, redirect_uri: web.redirect, response_type: 'code', scope: 'openid', state: 'st-5' };
    for (const cookie of [null, 'x'.repeat(64)]) {
      const { status, location } = await authorize(s.url, cookie, params);
      expect(status).toBe(302);
      const to = new URL(location!, s.url);
      expect(to.pathname).toBe('/signin');
      expect(to.searchParams.get('return_to')).toBe(`${AUTHZ}?${new URLSearchParams(params).toString()}`);
    }
    // prompt=login asks for a fresh sign-in even with a session, and is dropped from return_to (no loop).
    const fresh = await authorize(s.url, npsso, { ...params, prompt: 'login' });
    const to = new URL(fresh.location!, s.url);
    expect(to.pathname).toBe('/signin');
    expect(to.searchParams.get('return_to')).not.toContain('prompt');
  });

  it('answers login_required to the client for prompt=none without a session', async () => {
    const { status, location } = await authorize(s.url, null, { client_id: web.id, redirect_uri: web.redirect, response_type: 'code', scope: 'openid', state: 'st-6', prompt: 'none' });
    expect(status).toBe(302);
    expect(location!.startsWith(`${web.redirect}?`)).toBe(true);
    expect(redirectParams(location).get('error')).toBe('login_required');
    expect(redirectParams(location).get('state')).toBe('st-6');
    const signedIn = await authorize(s.url, npsso, { client_id: web.id, redirect_uri: web.redirect, response_type: 'code', scope: 'openid', prompt: 'none' });
    expect(redirectParams(signedIn.location).get('code')).toMatch(/^v3\./);
  });
});
