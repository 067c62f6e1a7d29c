import { describe, expect, it } from 'vitest';
import { NetworkError, RateLimitedError, ReloginRequiredError, ServerError, TimeoutError } from '../errors.js';
import { fakeFetch, json, PSN_BASIC, tokenBody } from '../test-support/fakeFetch.js';
import { exchangeRefreshTokenForAuthTokens } from './index.js';

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
