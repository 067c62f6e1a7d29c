import { describe, expect, it } from 'vitest';
import {
  InvalidClientError,
  InvalidNpssoError,
  InvalidResponseError,
  NetworkError,
  OAuthError,
  RateLimitedError,
  ReloginRequiredError,
  ServerError,
  TimeoutError,
} from '../errors.js';
import { codeChallengeS256 } from '../lib/pkce.js';
import { fakeFetch, json, tokenBody } from '../test-support/fakeFetch.js';
import {
  exchangeAccessCodeForAuthTokens,
  exchangeCodeForAccessToken,
  exchangeNpssoForAccessCode,
  exchangeRefreshTokenForAuthTokens,
  processAuthorizationCodeResponse,
  processAuthorizationResponse,
  processRefreshTokenResponse,
} from './index.js';

const NPSSO = 'a'.repeat(64);
const PSN_BASIC = 'Basic MDk1MTUxNTktNzIzNy00MzcwLTliNDAtMzgwNmU2N2MwODkxOnVjUGprYTV0bnRCMktxc1A=';
const redirect = (location: string, status = 302) => new Response(null, { status, headers: { location } });

describe('exchangeNpssoForAccessCode', () => {
  it('sends the same request as psn-api to PlayStation by default and returns the code', async () => {
    const f = fakeFetch(() => redirect('com.scee.psxandroid.scecompcall://redirect/?code=v3.ABC&cid=x'));
    const code = await exchangeNpssoForAccessCode(NPSSO, { fetch: f });
    expect(code).toBe('v3.ABC');
    const req = f.requests[0]!;
    expect(req.url.origin + req.url.pathname).toBe('https://ca.account.sony.com/api/authz/v3/oauth/authorize');
    expect(Object.fromEntries(req.url.searchParams)).toEqual({
      access_type: 'offline',
      client_id: '09515159-7237-4370-9b40-3806e67c0891',
      redirect_uri: 'com.scee.psxandroid.scecompcall://redirect',
      response_type: 'code',
      scope: 'psn:mobile.v2.core psn:clientapp',
    });
    expect(req.headers.get('cookie')).toBe(`npsso=${NPSSO}`);
    expect(req.redirect).toBe('manual');
  });

  it('appends the OAuth path to a bare origin and keeps an explicit prefix as is', async () => {
    const f = fakeFetch(() => redirect('com.scee.psxandroid.scecompcall://redirect/?code=v3.1'));
    await exchangeNpssoForAccessCode(NPSSO, { fetch: f, baseUrl: 'http://127.0.0.1:8080' });
    await exchangeNpssoForAccessCode(NPSSO, { fetch: f, baseUrl: 'http://127.0.0.1:8080/custom/oauth/' });
    expect(f.requests.map((r) => r.url.pathname)).toEqual(['/api/authz/v3/oauth/authorize', '/custom/oauth/authorize']);
  });

  it('sends the S256 challenge of a PKCE verifier, the state and the nonce', async () => {
    const f = fakeFetch(() => redirect('app://cb?code=v3.2&state=s1'));
    const code = await exchangeNpssoForAccessCode(NPSSO, {
      fetch: f,
      clientId: 'cli',
      redirectUri: 'app://cb',
      codeVerifier: 'verifier-verifier-verifier-verifier-verifier',
      state: 's1',
      nonce: 'n1',
    });
    expect(code).toBe('v3.2');
    const p = f.requests[0]!.url.searchParams;
    expect(p.get('code_challenge')).toBe(codeChallengeS256('verifier-verifier-verifier-verifier-verifier'));
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('state')).toBe('s1');
    expect(p.get('nonce')).toBe('n1');
    expect(p.get('client_id')).toBe('cli');
  });

  it('refuses a malformed NPSSO before sending anything', async () => {
    const f = fakeFetch(() => redirect('x://r?code=1'));
    for (const bad of ['', 'abc; other=1', 'abc\r\nX: y', 'a b']) {
      await expect(exchangeNpssoForAccessCode(bad, { fetch: f })).rejects.toBeInstanceOf(InvalidNpssoError);
    }
    expect(f.requests).toHaveLength(0);
  });

  it('maps a redirect with error=login_required to ERR_INVALID_NPSSO keeping the OAuth fields', async () => {
    const f = fakeFetch(() =>
      redirect('com.scee.psxandroid.scecompcall://redirect/?error=login_required&error_code=4165&error_description=Login+is+required'),
    );
    const err = await exchangeNpssoForAccessCode(NPSSO, { fetch: f }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidNpssoError);
    expect(err).toMatchObject({ code: 'ERR_INVALID_NPSSO', status: 302, error: 'login_required', error_description: 'Login is required' });
    expect((err as Error).message).not.toContain(NPSSO);
  });

  it('maps a redirect to a sign-in page and a 200 page to ERR_INVALID_NPSSO', async () => {
    const toLogin = fakeFetch(() => redirect('https://ca.account.sony.com/signin?x=1'));
    await expect(exchangeNpssoForAccessCode(NPSSO, { fetch: toLogin })).rejects.toMatchObject({ code: 'ERR_INVALID_NPSSO' });
    const page = fakeFetch(() => new Response('<html>sign in</html>', { status: 200 }));
    await expect(exchangeNpssoForAccessCode(NPSSO, { fetch: page })).rejects.toMatchObject({ code: 'ERR_INVALID_NPSSO', status: 200 });
  });

  it('maps a 401 JSON answer without an error code to ERR_INVALID_NPSSO', async () => {
    const f = fakeFetch(() => json({ message: 'no session' }, 401));
    await expect(exchangeNpssoForAccessCode(NPSSO, { fetch: f })).rejects.toMatchObject({ code: 'ERR_INVALID_NPSSO', status: 401 });
  });

  it('maps an invalid_client redirect error to ERR_INVALID_CLIENT', async () => {
    const f = fakeFetch(() => redirect('com.scee.psxandroid.scecompcall://redirect/?error=unauthorized_client'));
    await expect(exchangeNpssoForAccessCode(NPSSO, { fetch: f })).rejects.toBeInstanceOf(InvalidClientError);
  });

  it('rejects a redirect to the client without a code as ERR_INVALID_RESPONSE', async () => {
    const f = fakeFetch(() => redirect('com.scee.psxandroid.scecompcall://redirect/?foo=1'));
    await expect(exchangeNpssoForAccessCode(NPSSO, { fetch: f })).rejects.toBeInstanceOf(InvalidResponseError);
    const noLocation = fakeFetch(() => new Response(null, { status: 302 }));
    await expect(exchangeNpssoForAccessCode(NPSSO, { fetch: noLocation })).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('rejects a redirect whose state differs from the one sent', async () => {
    const f = fakeFetch(() => redirect('app://cb?code=v3.1&state=other'));
    await expect(
      exchangeNpssoForAccessCode(NPSSO, { fetch: f, redirectUri: 'app://cb', state: 'mine' }),
    ).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('reads a code from an answer without sending anything (process half alone)', async () => {
    await expect(processAuthorizationResponse(redirect('com.scee.psxandroid.scecompcall://redirect/?code=v3.Z'))).resolves.toBe('v3.Z');
  });
});

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

describe('token answers that are not usable', () => {
  const cases: Array<[string, () => Response]> = [
    ['a 200 without access_token', () => json(tokenBody({ access_token: undefined }))],
    ['a 200 with an empty access_token', () => json(tokenBody({ access_token: '' }))],
    ['a 200 without refresh_token', () => json(tokenBody({ refresh_token: undefined }))],
    ['a 200 with a negative expires_in', () => json(tokenBody({ expires_in: -1 }))],
    ['a 200 with expires_in as text', () => json(tokenBody({ expires_in: 'soon' }))],
    ['a 200 without refresh_token_expires_in', () => json(tokenBody({ refresh_token_expires_in: undefined }))],
    ['a 200 without id_token', () => json(tokenBody({ id_token: undefined }))],
    ['a 200 with an HTML body', () => new Response('<html></html>', { status: 200 })],
    ['a 200 with a JSON array', () => json([])],
    ['a 302 from the token endpoint', () => redirect('https://elsewhere/')],
    ['a 400 without a JSON error', () => new Response('bad', { status: 400 })],
  ];
  for (const [name, make] of cases) {
    it(`rejects ${name} with ERR_INVALID_RESPONSE instead of returning undefined fields`, async () => {
      const err = await processRefreshTokenResponse(make()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect((err as InvalidResponseError).code).toBe('ERR_INVALID_RESPONSE');
    });
  }

  it('accepts expires_in sent as a numeric string', async () => {
    const tokens = await processRefreshTokenResponse(json(tokenBody({ expires_in: '3600' })));
    expect(tokens.expiresIn).toBe(3600);
  });
});

describe('exchangeRefreshTokenForAuthTokens', () => {
  it('posts the psn-api refresh form and returns the (possibly rotated) refresh token', async () => {
    const f = fakeFetch(() => json(tokenBody({ refresh_token: 'rt-2', access_token: 'at-2' })));
    const tokens = await exchangeRefreshTokenForAuthTokens('rt-1', { fetch: f });
    expect(tokens.refreshToken).toBe('rt-2');
    expect(tokens.accessToken).toBe('at-2');
    expect(Object.fromEntries(f.requests[0]!.body)).toEqual({
      refresh_token: 'rt-1',
      grant_type: 'refresh_token',
      token_format: 'jwt',
      scope: 'psn:mobile.v2.core psn:clientapp',
    });
    expect(f.requests[0]!.headers.get('authorization')).toBe(PSN_BASIC);
  });

  it('maps invalid_grant to ERR_RELOGIN_REQUIRED keeping the OAuth fields, without the token in the message', async () => {
    const f = fakeFetch(() => json({ error: 'invalid_grant', error_description: 'revoked' }, 400));
    const err = await exchangeRefreshTokenForAuthTokens('secret-refresh-token', { fetch: f }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReloginRequiredError);
    expect(err).toMatchObject({ code: 'ERR_RELOGIN_REQUIRED', status: 400, error: 'invalid_grant', error_description: 'revoked' });
    expect((err as Error).message).not.toContain('secret-refresh-token');
  });

  it('maps 429 to ERR_RATE_LIMITED with retryAfter from delta seconds and from an HTTP date', async () => {
    const a = fakeFetch(() => json({ error: 'slow_down' }, 429, { 'retry-after': '42' }));
    const errA = await exchangeRefreshTokenForAuthTokens('rt', { fetch: a }).catch((e: unknown) => e);
    expect(errA).toBeInstanceOf(RateLimitedError);
    expect(errA).toMatchObject({ code: 'ERR_RATE_LIMITED', status: 429, retryAfter: 42, error: 'slow_down' });
    const date = new Date(Date.now() + 120_000).toUTCString();
    const b = fakeFetch(() => new Response('', { status: 429, headers: { 'retry-after': date } }));
    const errB = (await exchangeRefreshTokenForAuthTokens('rt', { fetch: b }).catch((e: unknown) => e)) as RateLimitedError;
    expect(errB.retryAfter).toBeGreaterThanOrEqual(118);
    expect(errB.retryAfter).toBeLessThanOrEqual(120);
    const c = fakeFetch(() => new Response('', { status: 429 }));
    await expect(exchangeRefreshTokenForAuthTokens('rt', { fetch: c })).rejects.toMatchObject({ retryAfter: undefined, status: 429 });
  });

  it('maps 5xx to ERR_SERVER with the status', async () => {
    for (const status of [500, 502, 503]) {
      const f = fakeFetch(() => new Response('<html>oops</html>', { status }));
      const err = await exchangeRefreshTokenForAuthTokens('rt', { fetch: f }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServerError);
      expect(err).toMatchObject({ code: 'ERR_SERVER', status });
    }
  });

  it('maps a failed connection to ERR_NETWORK with the cause kept', async () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const f = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause });
    });
    const err = await exchangeRefreshTokenForAuthTokens('rt', { fetch: f }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toContain('ECONNREFUSED');
    expect((err as NetworkError).cause).toBeInstanceOf(TypeError);
  });

  it('maps a real refused connection to ERR_NETWORK', async () => {
    await expect(
      exchangeRefreshTokenForAuthTokens('rt', { baseUrl: 'http://127.0.0.1:1', timeoutMs: 5_000 }),
    ).rejects.toMatchObject({ code: 'ERR_NETWORK' });
  });

  it('gives up with ERR_TIMEOUT after timeoutMs', async () => {
    // Never answers on its own; `send` must abort it through the signal.
    const hanging = ((_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const started = Date.now();
    const err = await exchangeRefreshTokenForAuthTokens('rt', { fetch: hanging, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).code).toBe('ERR_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('rethrows the caller\'s own abort reason rather than a timeout', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    controller.abort(reason);
    const f = fakeFetch(() => json(tokenBody()));
    await expect(exchangeRefreshTokenForAuthTokens('rt', { fetch: f, signal: controller.signal })).rejects.toBe(reason);
  });
});
