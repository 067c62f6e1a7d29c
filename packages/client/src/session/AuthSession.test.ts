import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PersistError,
  RateLimitedError,
  RefreshTokenExpiredError,
  ReloginRequiredError,
  ServerError,
} from '../errors.js';
import { fakeFetch, json, tokenBody } from '../test-support/fakeFetch.js';
import { fakeTokenServer } from '../test-support/fakeTokenServer.js';
import { createVault } from '../vault/createVault.js';
import { createMemoryStore } from '../stores/memory.js';
import type { StoredTokens } from '../vault/types.js';
import { AuthSession } from './AuthSession.js';
import type { RefreshedEvent, SessionVault } from './types.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
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

function stored(overrides: Partial<StoredTokens> = {}): StoredTokens {
  return {
    accessToken: 'at-0',
    accessTokenExpiresAt: new Date(T0 + HOUR).toISOString(),
    refreshToken: 'rt-0',
    refreshTokenExpiresAt: new Date(T0 + 60 * DAY).toISOString(),
    idToken: 'id-0',
    scope: 'psn:mobile.v2.core psn:clientapp',
    tokenType: 'bearer',
    obtainedAt: new Date(T0).toISOString(),
    ...overrides,
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

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

describe('AuthSession with a vault', () => {
  let vault: ReturnType<typeof createVault>;
  beforeEach(() => {
    vault = createVault({ store: createMemoryStore(), keys: [{ id: 'k1', secret: 'a'.repeat(64) }] });
  });

  it('saves the tokens on sign-in and resumes from them', async () => {
    const server = fakeTokenServer({ now });
    await AuthSession.fromNpsso(server.npsso, { fetch: server.fetch, now, vault, name: 'bot' });
    const resumed = await AuthSession.fromVault(vault, 'bot', { fetch: server.fetch, now });
    expect(await resumed.getAccessToken()).toBe('at-1');
    expect((await vault.load('bot'))?.accessToken).toBe('at-1');
  });

  it('answers ERR_RELOGIN_REQUIRED when nothing is stored under the name', async () => {
    await expect(AuthSession.fromVault(vault, 'nobody')).rejects.toMatchObject({ code: 'ERR_RELOGIN_REQUIRED' });
  });

  it('saves a refresh to the vault before handing the token out', async () => {
    const server = fakeTokenServer({ now, policy: 'rotate' });
    const session = await AuthSession.fromNpsso(server.npsso, { fetch: server.fetch, now, vault, name: 'bot' });
    clock = T0 + HOUR;
    const token = await session.getAccessToken();
    const saved = await vault.load('bot');
    expect(saved?.accessToken).toBe(token);
    expect(saved?.refreshToken).toBe(session.tokens.refreshToken);
  });

  it('fails closed when the rotated refresh token cannot be saved, and a retry with the stored token recovers', async () => {
    const server = fakeTokenServer({ now, policy: 'rotate' });
    await AuthSession.fromNpsso(server.npsso, { fetch: server.fetch, now, vault, name: 'bot' });
    const oldRefresh = (await vault.load('bot'))!.refreshToken;
    const broken: SessionVault = {
      load: (n) => vault.load(n),
      save: async () => {
        throw new Error('disk full');
      },
      withLock: (n, fn, o) => vault.withLock(n, fn, o),
    };
    const session = await AuthSession.fromVault(broken, 'bot', { fetch: server.fetch, now });
    clock = T0 + HOUR;
    const err = await session.getAccessToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PersistError);
    expect((err as PersistError).code).toBe('ERR_PERSIST_FAILED');
    expect(session.tokens.accessToken).toBe('at-1');
    expect((await vault.load('bot'))!.refreshToken).toBe(oldRefresh);
    // The "crashed" process restarts within the server's retry window with the stored (spent) token.
    clock += 5_000;
    const restarted = await AuthSession.fromVault(vault, 'bot', { fetch: server.fetch, now });
    expect(await restarted.getAccessToken()).toBe('at-2');
    expect(server.stats.reuseDetected).toBe(0);
    expect((await vault.load('bot'))!.refreshToken).not.toBe(oldRefresh);
  });

  for (const policy of ['reuse', 'rotate'] as const) {
    it(`two sessions sharing a vault make one refresh (${policy} policy)`, async () => {
      const server = fakeTokenServer({ now, policy });
      await AuthSession.fromNpsso(server.npsso, { fetch: server.fetch, now, vault, name: 'bot' });
      const a = await AuthSession.fromVault(vault, 'bot', { fetch: server.fetch, now });
      const b = await AuthSession.fromVault(vault, 'bot', { fetch: server.fetch, now });
      const fromVault: string[] = [];
      b.on('refreshed', (e) => fromVault.push(e.source));
      clock = T0 + HOUR;
      const [ta, tb] = await Promise.all([a.getAccessToken(), b.getAccessToken()]);
      expect(server.stats.refreshRequests).toBe(1);
      expect(ta).toBe('at-2');
      expect(tb).toBe('at-2');
      expect(fromVault).toEqual(['vault']);
      // Next round: B refreshes with the (possibly rotated) token A saved, without reuse detection.
      clock = T0 + 2 * HOUR + 1;
      expect(await b.getAccessToken()).toBe('at-3');
      expect(await a.getAccessToken()).toBe('at-3');
      expect(server.stats.refreshRequests).toBe(2);
      expect(server.stats.reuseDetected).toBe(0);
    });
  }

  it('regression: a session holding a spent rotated token uses the vault\'s successor instead of replaying it', async () => {
    const server = fakeTokenServer({ now, policy: 'rotate', retryWindowSec: 0 });
    await AuthSession.fromNpsso(server.npsso, { fetch: server.fetch, now, vault, name: 'bot' });
    const a = await AuthSession.fromVault(vault, 'bot', { fetch: server.fetch, now });
    const b = await AuthSession.fromVault(vault, 'bot', { fetch: server.fetch, now });
    clock = T0 + HOUR;
    await a.getAccessToken();
    clock = T0 + HOUR + 2 * HOUR; // a's new token is due too: b must not replay its spent token
    expect(await b.getAccessToken()).toBe('at-3');
    expect(server.stats.reuseDetected).toBe(0);
  });
});
