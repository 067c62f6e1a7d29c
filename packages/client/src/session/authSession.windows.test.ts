/** AuthSession's refresh windows, end to end through a fake token server (the pure rules: lib/refreshWindows.test.ts). */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeFetch, json, tokenBody } from '../test-support/fakeFetch.js';
import { fakeTokenServer } from '../test-support/fakeTokenServer.js';
import { AuthSession } from './authSession.js';
import { flush, HOUR, MIN, stored, T0 } from './test-support/sessionFixtures.js';
import type { RefreshedEvent } from './types.js';

let clock = T0;
const now = () => clock;

beforeEach(() => {
  clock = T0;
});

async function signIn(policy: 'reuse' | 'rotate' = 'reuse', extra: Record<string, unknown> = {}) {
  const server = fakeTokenServer({ now, policy });
  const session = await AuthSession.fromNpsso(server.npsso, { fetch: server.fetch, now, ...extra });
  return { server, session };
}

describe('AuthSession windows (frozen clock)', () => {
  it('keeps absolute ISO expiry times computed from the clock when built from an exchange result', () => {
    const session = new AuthSession(
      { accessToken: 'a', expiresIn: 3600, idToken: 'i', refreshToken: 'r', refreshTokenExpiresIn: 5_184_000, scope: 's', tokenType: 'bearer' },
      { now },
    );
    expect(session.tokens).toEqual({
      accessToken: 'a',
      accessTokenExpiresAt: '2026-01-01T01:00:00.000Z',
      refreshToken: 'r',
      refreshTokenExpiresAt: '2026-03-02T00:00:00.000Z',
      idToken: 'i',
      scope: 's',
      tokenType: 'bearer',
      obtainedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('returns a fresh token without any request', async () => {
    const { server, session } = await signIn();
    const before = server.stats.tokenRequests;
    clock = T0 + 54 * MIN;
    expect(await session.getAccessToken()).toBe('at-1');
    expect(await session.authorization()).toEqual({ accessToken: 'at-1' });
    expect(server.stats.tokenRequests).toBe(before);
  });

  it('inside the should-refresh window returns the current token and refreshes once in the background', async () => {
    const { server, session } = await signIn();
    const events: RefreshedEvent[] = [];
    session.on('refreshed', (e) => events.push(e));
    clock = T0 + 56 * MIN; // 4 min before expiry: inside 5 min, outside 30 s + 10 s
    const got = await Promise.all(Array.from({ length: 50 }, () => session.getAccessToken()));
    expect(new Set(got)).toEqual(new Set(['at-1']));
    await flush();
    expect(server.stats.refreshRequests).toBe(1);
    expect(await session.getAccessToken()).toBe('at-2');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: 'server', rotated: false });
    expect(events[0]!.tokens.accessTokenExpiresAt).toBe(new Date(T0 + 56 * MIN + HOUR).toISOString());
  });

  it('inside the must-refresh window makes callers wait for the new token', async () => {
    const { server, session } = await signIn();
    clock = T0 + HOUR - 35_000; // inside 30 s + 10 s skew
    expect(await session.getAccessToken()).toBe('at-2');
    expect(server.stats.refreshRequests).toBe(1);
  });

  it('after expiry makes callers wait for the new token', async () => {
    const { session } = await signIn();
    clock = T0 + 2 * HOUR;
    expect(await session.getAccessToken()).toBe('at-2');
  });

  it('makes exactly one refresh for 1,000 concurrent callers at expiry', async () => {
    const { server, session } = await signIn();
    clock = T0 + HOUR;
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => session.getAccessToken()));
    expect(server.stats.refreshRequests).toBe(1);
    expect(new Set(tokens)).toEqual(new Set(['at-2']));
  });

  it('honours configured margins', async () => {
    const { server, session } = await signIn('reuse', { refreshWindowMs: 20 * MIN, mustRefreshWindowMs: 10 * MIN, clockSkewMs: 0 });
    clock = T0 + 39 * MIN; // 21 min left: fresh
    expect(await session.getAccessToken()).toBe('at-1');
    await flush();
    expect(server.stats.refreshRequests).toBe(0);
    clock = T0 + 45 * MIN; // 15 min left: background
    expect(await session.getAccessToken()).toBe('at-1');
    await flush();
    expect(server.stats.refreshRequests).toBe(1);
    expect(await session.getAccessToken()).toBe('at-2');
    clock = T0 + 45 * MIN + HOUR - 9 * MIN; // 9 min left of at-2: must
    expect(await session.getAccessToken()).toBe('at-3');
  });

  it('scales the windows down for a token that lives shorter than them, instead of refreshing on every call', async () => {
    const server = fakeTokenServer({ now, accessTtlSec: 20 });
    const session = await AuthSession.fromNpsso(server.npsso, { fetch: server.fetch, now });
    clock = T0 + 4_000;
    expect(await session.getAccessToken()).toBe('at-1');
    await flush();
    expect(server.stats.refreshRequests).toBe(0);
  });

  it('regression: a slow stale refresh never overwrites tokens installed meanwhile', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const f = fakeFetch(async () => {
      await gate;
      return json(tokenBody({ access_token: 'stale-from-slow-refresh' }));
    });
    const session = new AuthSession(stored(), { fetch: f, now });
    clock = T0 + HOUR;
    const slow = session.refresh();
    session.setTokens(stored({ accessToken: 'newer', obtainedAt: new Date(clock).toISOString(), accessTokenExpiresAt: new Date(clock + HOUR).toISOString() }));
    release();
    expect((await slow).accessToken).toBe('newer');
    expect(await session.getAccessToken()).toBe('newer');
  });
});
