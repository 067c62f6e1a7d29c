/**
 * The seed flow end to end, as PlayStation's app does it: sign in, read the npsso at
 * /api/v1/ssocookie, get a code on the custom-scheme redirect URI, exchange it, refresh.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { aClient, PSN } from '../test-support/clients.js';
import { jwks, ssoCookie } from '../test-support/endpoints.js';
import { authorize, codeFrom, refresh, tokenRequest } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('the seed flow: sign in, npsso, code, tokens, refresh', () => {
  const f = useServer({}, async (s) => {
    const psn = await aClient(s, { ...PSN, scope: `${PSN.scope} openid email` });
    const npsso = await (await aPerson(s)).signIn();
    return { npsso, psn };
  });

  const psnCode = (state?: string) =>
    authorize(f.s, f.npsso, { access_type: 'offline', client_id: PSN.id, redirect_uri: PSN.redirectUri, response_type: 'code', scope: PSN.scope, ...(state ? { state } : {}) });

  it('answers the npsso of a signed-in browser at /api/v1/ssocookie', async () => {
    const { s, npsso } = f;
    expect(npsso).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const res = await ssoCookie(s, npsso);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ npsso });
  });

  it('refuses /api/v1/ssocookie without a valid cookie, as JSON', async () => {
    const { s } = f;
    for (const cookie of [null, 'nope', 'a'.repeat(64)]) {
      const res = await ssoCookie(s, cookie);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'login_required' });
    }
  });

  it('redirects a custom-scheme redirect URI as PlayStation does, and issues reusable refresh tokens', async () => {
    const { s, psn } = f;
    const { status, location } = await psnCode('xyz');
    expect(status).toBe(302);
    expect(location).toMatch(/^com\.scee\.psxandroid\.scecompcall:\/\/redirect\/\?code=v3\.[A-Za-z0-9_-]{43}&state=xyz&iss=/);
    const code = codeFrom(location);

    const first = await tokenRequest(s, { code, redirect_uri: PSN.redirectUri, grant_type: 'authorization_code', token_format: 'jwt' }, psn.auth);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: PSN.scope, refresh_token_expires_in: 60 * 86400 });
    expect(typeof first.body.access_token).toBe('string');
    expect(typeof first.body.id_token).toBe('string');
    expect(typeof first.body.refresh_token).toBe('string');

    const at = await jwtVerify(first.body.access_token as string, createLocalJWKSet(await jwks(s)), { issuer: s.issuer, typ: 'at+jwt', algorithms: ['RS256'] });
    expect(at.payload).toMatchObject({ client_id: PSN.id, aud: PSN.id, scope: PSN.scope });
    expect(decodeProtectedHeader(first.body.access_token as string).kid).toBeTruthy();

    const again = await refresh(s, psn, first.body.refresh_token as string, { token_format: 'jwt', scope: PSN.scope });
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).toBe(first.body.refresh_token);
    expect(again.body.access_token).not.toBe(first.body.access_token);
    expect(again.body.refresh_token_expires_in as number).toBeLessThanOrEqual(60 * 86400);
  });

  it('refuses a code the second time and revokes what the first use issued', async () => {
    const { s, psn } = f;
    const code = codeFrom((await psnCode()).location);
    const exchange = () => tokenRequest(s, { code, grant_type: 'authorization_code', redirect_uri: PSN.redirectUri }, psn.auth);
    const first = await exchange();
    expect(first.status).toBe(200);
    expect(await exchange()).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await refresh(s, psn, first.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
