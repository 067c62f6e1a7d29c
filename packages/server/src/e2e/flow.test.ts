import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { PSN, authorize, basic, codeFrom, tokenRequest } from './lib.js';

describe('the seed flow: sign in, npsso, code, tokens, refresh', () => {
  let s: TestServer;
  let npsso: string;
  beforeAll(async () => {
    s = await startTestServer();
    await s.addUser('ada@example.com', 'correct horse battery');
    await s.addClient({ id: PSN.clientId, secret: PSN.clientSecret, redirectUris: [PSN.redirectUri], scope: `${PSN.scope} openid email` });
    npsso = await s.signIn('ada@example.com', 'correct horse battery');
  });
  afterAll(() => s.close());

  it('answers the npsso of a signed-in browser at /api/v1/ssocookie', async () => {
    expect(npsso).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const res = await fetch(`${s.url}/api/v1/ssocookie`, { headers: { cookie: `npsso=${npsso}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ npsso });
  });

  it('refuses /api/v1/ssocookie without a valid cookie, as JSON', async () => {
    for (const cookie of [undefined, 'npsso=nope', `npsso=${'a'.repeat(64)}`]) {
      const res = await fetch(`${s.url}/api/v1/ssocookie`, { headers: cookie ? { cookie } : {} });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'login_required' });
    }
  });

  it('redirects a custom-scheme redirect URI as PlayStation does, and issues reusable refresh tokens', async () => {
    const { status, location } = await authorize(s.url, npsso, {
      access_type: 'offline', client_id: PSN.clientId, redirect_uri: PSN.redirectUri, response_type: 'code', scope: PSN.scope, state: 'xyz',
    });
    expect(status).toBe(302);
    expect(location).toMatch(/^com\.scee\.psxandroid\.scecompcall:\/\/redirect\/\?code=v3\.[A-Za-z0-9_-]{43}&state=xyz&iss=/);
    const code = codeFrom(location);

    const first = await tokenRequest(s.url, { code, redirect_uri: PSN.redirectUri, grant_type: 'authorization_code', token_format: 'jwt' }, basic(PSN.clientId, PSN.clientSecret));
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: PSN.scope, refresh_token_expires_in: 60 * 86400 });
    expect(typeof first.body.access_token).toBe('string');
    expect(typeof first.body.id_token).toBe('string');
    expect(typeof first.body.refresh_token).toBe('string');

    const jwks = createLocalJWKSet((await (await fetch(`${s.url}/api/authz/v3/oauth/jwks`)).json()) as JSONWebKeySet);
    const at = await jwtVerify(first.body.access_token as string, jwks, { issuer: s.issuer, typ: 'at+jwt', algorithms: ['RS256'] });
    expect(at.payload).toMatchObject({ client_id: PSN.clientId, aud: PSN.clientId, scope: PSN.scope });
    expect(decodeProtectedHeader(first.body.access_token as string).kid).toBeTruthy();

    const again = await tokenRequest(s.url, { refresh_token: first.body.refresh_token as string, grant_type: 'refresh_token', token_format: 'jwt', scope: PSN.scope }, basic(PSN.clientId, PSN.clientSecret));
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).toBe(first.body.refresh_token);
    expect(again.body.access_token).not.toBe(first.body.access_token);
    expect(again.body.refresh_token_expires_in as number).toBeLessThanOrEqual(60 * 86400);
  });

  it('refuses a code the second time and revokes what the first use issued', async () => {
    const code = codeFrom((await authorize(s.url, npsso, { client_id: PSN.clientId, redirect_uri: PSN.redirectUri, response_type: 'code', scope: PSN.scope, access_type: 'offline' })).location);
    const auth = basic(PSN.clientId, PSN.clientSecret);
    const first = await tokenRequest(s.url, { code, grant_type: 'authorization_code', redirect_uri: PSN.redirectUri }, auth);
    expect(first.status).toBe(200);
    const second = await tokenRequest(s.url, { code, grant_type: 'authorization_code', redirect_uri: PSN.redirectUri }, auth);
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const refresh = await tokenRequest(s.url, { refresh_token: first.body.refresh_token as string, grant_type: 'refresh_token' }, auth);
    expect(refresh).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
