import { describe, expect, it } from 'vitest';
import { fakeFetch, signInAnswers } from '../test-support/fakeFetch.js';
import { exchangeAccessCodeForAuthTokens } from './exchangeAccessCodeForAuthTokens.js';
import { exchangeNpssoForAccessCode } from './exchangeNpssoForAccessCode.js';
import { exchangeRefreshTokenForAuthTokens } from './exchangeRefreshTokenForAuthTokens.js';
import { keyturnServer } from './keyturnServer.js';

const NPSSO = 'd'.repeat(64);

describe('keyturnServer', () => {
  it('answers frozen options naming the OAuth prefix and the client, leaving redirect URI and scope to the server', () => {
    const server = keyturnServer('http://127.0.0.1:8080/', { clientId: 'my-bot', clientSecret: 's3cret' });
    expect(server).toEqual({
      baseUrl: 'http://127.0.0.1:8080/api/authz/v3/oauth',
      clientId: 'my-bot',
      clientSecret: 's3cret',
      redirectUri: null,
      scope: '',
    });
    expect(Object.isFrozen(server)).toBe(true);
  });

  it('keeps a given redirect URI and scope, and has no secret for a public client', () => {
    const server = keyturnServer('https://auth.example.com/api/authz/v3/oauth', { clientId: 'app', redirectUri: 'com.example.app://cb', scope: 'openid' });
    expect(server).toEqual({ baseUrl: 'https://auth.example.com/api/authz/v3/oauth', clientId: 'app', redirectUri: 'com.example.app://cb', scope: 'openid' });
    expect('clientSecret' in server).toBe(false);
  });

  it('refuses a missing client id and a URL that is not http(s)', () => {
    expect(() => keyturnServer('http://127.0.0.1:8080', { clientId: '' })).toThrow(/keyturn client add --id/);
    expect(() => keyturnServer('ftp://127.0.0.1', { clientId: 'x' })).toThrow(TypeError);
  });

  it('makes every exchange talk to that server as that client, without redirect_uri and with an empty scope', async () => {
    const server = keyturnServer('http://127.0.0.1:8080', { clientId: 'my-bot', clientSecret: 's3cret' });
    const f = fakeFetch(signInAnswers('com.example.bot://redirect/?code=v3.c'));
    const code = await exchangeNpssoForAccessCode(NPSSO, { ...server, fetch: f });
    const tokens = await exchangeAccessCodeForAuthTokens(code, { ...server, fetch: f });
    await exchangeRefreshTokenForAuthTokens(tokens.refreshToken, { ...server, fetch: f });
    const [authorize, exchange, refresh] = f.requests;
    expect(authorize!.url.origin + authorize!.url.pathname).toBe('http://127.0.0.1:8080/api/authz/v3/oauth/authorize');
    expect(Object.fromEntries(authorize!.url.searchParams)).toEqual({ access_type: 'offline', client_id: 'my-bot', response_type: 'code', scope: '' });
    expect(Object.fromEntries(exchange!.body)).toEqual({ code: 'v3.c', grant_type: 'authorization_code', token_format: 'jwt' });
    expect(Object.fromEntries(refresh!.body)).toEqual({ refresh_token: 'rt-1', grant_type: 'refresh_token', token_format: 'jwt', scope: '' });
    for (const req of [exchange!, refresh!]) {
      expect(req.url.href).toBe('http://127.0.0.1:8080/api/authz/v3/oauth/token');
      expect(req.headers.get('authorization')).toBe(`Basic ${Buffer.from('my-bot:s3cret').toString('base64')}`);
    }
  });
});
