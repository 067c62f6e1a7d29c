/** How AuthSession fails: relogin, expiry, rate limits, background failures, the expiry warning. */
import { beforeEach, describe, expect, it } from 'vitest';
import { RateLimitedError, RefreshTokenExpiredError, ReloginRequiredError, ServerError } from '../errors.js';
import { fakeFetch, json, tokenBody } from '../test-support/fakeFetch.js';
import { fakeTokenServer } from '../test-support/fakeTokenServer.js';
import { AuthSession } from './authSession.js';
import { DAY, flush, HOUR, MIN, stored, T0 } from './test-support/sessionFixtures.js';

let clock = T0;
const now = () => clock;

beforeEach(() => {
  clock = T0;
});

describe('AuthSession failures', () => {
  it('throws ERR_RELOGIN_REQUIRED on invalid_grant, emits reloginRequired once, and stops asking the server', async () => {
    const f = fakeFetch(() => json({ error: 'invalid_grant', error_description: 'revoked' }, 400));
    const session = new AuthSession(stored(), { fetch: f, now });
    const seen: string[] = [];
    session.on('reloginRequired', (e) => seen.push(e.code));
    clock = T0 + HOUR;
    const err = await session.getAccessToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReloginRequiredError);
    expect(err).toMatchObject({ code: 'ERR_RELOGIN_REQUIRED', error: 'invalid_grant', status: 400 });
    await expect(session.getAccessToken()).rejects.toBeInstanceOf(ReloginRequiredError);
    expect(f.requests).toHaveLength(1);
    expect(seen).toEqual(['ERR_RELOGIN_REQUIRED']);
  });

  it('throws ERR_REFRESH_TOKEN_EXPIRED without a request once the refresh token is past its expiry', async () => {
    const f = fakeFetch(() => json(tokenBody()));
    const session = new AuthSession(stored(), { fetch: f, now });
    const seen: string[] = [];
    session.on('reloginRequired', (e) => seen.push(e.code));
    clock = T0 + 61 * DAY;
    const err = await session.getAccessToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefreshTokenExpiredError);
    expect((err as RefreshTokenExpiredError).code).toBe('ERR_REFRESH_TOKEN_EXPIRED');
    expect(f.requests).toHaveLength(0);
    expect(seen).toEqual(['ERR_REFRESH_TOKEN_EXPIRED']);
  });

  it('reports invalid_grant at the refresh token expiry as ERR_REFRESH_TOKEN_EXPIRED', async () => {
    const f = fakeFetch(() => json({ error: 'invalid_grant' }, 400));
    const session = new AuthSession(stored({ refreshTokenExpiresAt: new Date(T0 + HOUR + 5_000).toISOString() }), { fetch: f, now });
    clock = T0 + HOUR;
    await expect(session.getAccessToken()).rejects.toMatchObject({ code: 'ERR_REFRESH_TOKEN_EXPIRED', error: 'invalid_grant' });
  });

  it('fires refreshTokenExpiring once when the refresh token has less than 7 days left', async () => {
    const server = fakeTokenServer({ now, refreshTtlSec: 8 * 86400 });
    const session = await AuthSession.fromNpsso(server.npsso, { fetch: server.fetch, now });
    const warnings: number[] = [];
    session.on('refreshTokenExpiring', (e) => warnings.push(e.msLeft));
    await session.getAccessToken();
    expect(warnings).toEqual([]);
    clock = T0 + 1 * DAY + MIN; // 6 days 23:59 left (and the access token is due: refresh, same expiry)
    await session.getAccessToken();
    await session.getAccessToken();
    expect(warnings).toEqual([7 * DAY - MIN]);
    clock = T0 + 1 * DAY + 2 * HOUR;
    await session.getAccessToken();
    expect(server.stats.refreshRequests).toBe(2);
    expect(session.tokens.refreshTokenExpiresAt).toBe(new Date(T0 + 8 * DAY).toISOString());
    expect(warnings).toHaveLength(1);
  });

  it('honours a configured warning period', async () => {
    const session = new AuthSession(stored(), { now, refreshTokenWarningDays: 60 });
    const warnings: string[] = [];
    session.on('refreshTokenExpiring', (e) => warnings.push(e.refreshTokenExpiresAt));
    clock = T0 + 10 * MIN;
    await session.getAccessToken();
    expect(warnings).toEqual([new Date(T0 + 60 * DAY).toISOString()]);
  });

  it('keeps serving the valid token when a background refresh fails, reports it, and backs off', async () => {
    const f = fakeFetch(() => new Response('down', { status: 503 }));
    const session = new AuthSession(stored(), { fetch: f, now, backgroundRetryMs: 60_000 });
    const failures: unknown[] = [];
    session.on('refreshFailed', (e) => failures.push(e));
    clock = T0 + 56 * MIN;
    expect(await session.getAccessToken()).toBe('at-0');
    await flush();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(ServerError);
    clock += 30_000;
    expect(await session.getAccessToken()).toBe('at-0');
    await flush();
    expect(f.requests).toHaveLength(1);
    clock += 31_000;
    await session.getAccessToken();
    await flush();
    expect(f.requests).toHaveLength(2);
  });

  it('passes ERR_RATE_LIMITED to a caller waiting in the must window', async () => {
    const f = fakeFetch(() => json({ error: 'rate_limited' }, 429, { 'retry-after': '7' }));
    const session = new AuthSession(stored(), { fetch: f, now });
    clock = T0 + HOUR;
    const err = await session.getAccessToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfter).toBe(7);
  });

  it('refuses to build from tokens with an unreadable expiry', () => {
    expect(() => new AuthSession(stored({ accessTokenExpiresAt: 'tomorrow' }), { now })).toThrow(TypeError);
  });
});
