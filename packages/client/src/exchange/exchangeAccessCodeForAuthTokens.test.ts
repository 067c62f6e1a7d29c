import { describe, expect, it } from 'vitest';
import { OAuthError } from '../errors.js';
import { fakeFetch, json, PSN_BASIC, tokenBody } from '../test-support/fakeFetch.js';
import { exchangeAccessCodeForAuthTokens, exchangeCodeForAccessToken, processAuthorizationCodeResponse } from './index.js';

describe('exchangeAccessCodeForAuthTokens', () => {
  it('posts the psn-api form with PlayStation Basic auth and maps the answer to AuthTokensResponse', async () => {
    const f = fakeFetch(() => json(tokenBody()));
    const tokens = await exchangeAccessCodeForAuthTokens('v3.CODE', { fetch: f });
    expect(tokens).toEqual({
      accessToken: 'at-1',
      expiresIn: 3600,
      idToken: 'id-1',
      refreshToken: 'rt-1',
      refreshTokenExpiresIn: 5_183_999,
      scope: 'psn:mobile.v2.core psn:clientapp',
      tokenType: 'bearer',
    });
    const req = f.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url.href).toBe('https://ca.account.sony.com/api/authz/v3/oauth/token');
    expect(req.headers.get('authorization')).toBe(PSN_BASIC);
    expect(req.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(req.body)).toEqual({
      code: 'v3.CODE',
      redirect_uri: 'com.scee.psxandroid.scecompcall://redirect',
      grant_type: 'authorization_code',
      token_format: 'jwt',
    });
  });

  it('is also exported under psn-api\'s old name', () => {
    expect(exchangeCodeForAccessToken).toBe(exchangeAccessCodeForAuthTokens);
  });

  it('sends client_id and code_verifier in the form for a public client, without Basic auth', async () => {
    const f = fakeFetch(() => json(tokenBody()));
    await exchangeAccessCodeForAuthTokens('c', { fetch: f, clientId: 'public-cli', redirectUri: 'app://cb', codeVerifier: 'v' });
    const req = f.requests[0]!;
    expect(req.headers.get('authorization')).toBeNull();
    expect(req.body.get('client_id')).toBe('public-cli');
    expect(req.body.get('code_verifier')).toBe('v');
    expect(req.body.get('redirect_uri')).toBe('app://cb');
  });

  it('uses Basic auth with the given secret for a confidential client', async () => {
    const f = fakeFetch(() => json(tokenBody()));
    await exchangeAccessCodeForAuthTokens('c', { fetch: f, clientId: 'bot', clientSecret: 's3cret' });
    expect(f.requests[0]!.headers.get('authorization')).toBe(`Basic ${Buffer.from('bot:s3cret').toString('base64')}`);
    expect(f.requests[0]!.body.get('client_id')).toBeNull();
  });

  it('maps invalid_grant on a code exchange to ERR_OAUTH keeping error, error_description and status', async () => {
    const f = fakeFetch(() => json({ error: 'invalid_grant', error_description: 'code expired' }, 400));
    const err = await exchangeAccessCodeForAuthTokens('c', { fetch: f }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ code: 'ERR_OAUTH', status: 400, error: 'invalid_grant', error_description: 'code expired' });
  });

  it('maps invalid_client to ERR_INVALID_CLIENT', async () => {
    const f = fakeFetch(() => json({ error: 'invalid_client' }, 401));
    await expect(exchangeAccessCodeForAuthTokens('c', { fetch: f })).rejects.toMatchObject({
      code: 'ERR_INVALID_CLIENT',
      status: 401,
      error: 'invalid_client',
    });
  });

  it('refuses a scope-less answer only when no scope was requested', async () => {
    const body = tokenBody();
    delete body.scope;
    const tokens = await processAuthorizationCodeResponse(json(body), 'requested scope');
    expect(tokens.scope).toBe('requested scope');
  });
});
