/** End to end against the REAL Keyturn server (packages/server test-support): HTTP, database, crypto. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../server/src/test-support/server.js';
import { PersistError, ReloginRequiredError } from '../errors.js';
import { exchangeAccessCodeForAuthTokens, exchangeNpssoForAccessCode, exchangeRefreshTokenForAuthTokens } from '../exchange/index.js';
import { decodeJwtPayload } from '../lib/decodeJwtPayload.js';
import { createFileStore } from '../stores/file.js';
import { createVault } from '../vault/createVault.js';
import { AuthSession } from './authSession.js';
import type { SessionVault } from './types.js';

const HOUR = 3_600_000;
const SECRET = 'ab'.repeat(32);
let server: TestServer;
let userId: string;
let tmp: string;

beforeAll(async () => {
  server = await startTestServer();
  userId = (await server.addUser('bot-owner@example.com', 'correct horse battery staple')).id;
  for (const refreshPolicy of ['reuse', 'rotate'] as const) {
    await server.addClient({ id: `bot-${refreshPolicy}`, secret: `secret-${refreshPolicy}-0123456789`, redirectUris: ['com.example.bot://redirect'], scope: 'openid profile', refreshPolicy });
  }
  tmp = mkdtempSync(path.join(tmpdir(), 'keyturn-session-e2e-'));
});

afterAll(async () => {
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Counts token endpoint requests on their way to the real server. */
function countingFetch() {
  const counts = { token: 0 };
  const f = (async (input: string | URL | Request, init?: RequestInit) => {
    if (String(input).endsWith('/token')) counts.token += 1;
    return fetch(input, init);
  }) as typeof fetch;
  return { fetch: f, counts };
}

function clientOptions(policy: 'reuse' | 'rotate') {
  return {
    baseUrl: server.url,
    clientId: `bot-${policy}`,
    clientSecret: `secret-${policy}-0123456789`,
    redirectUri: 'com.example.bot://redirect',
    scope: 'openid profile',
  };
}

async function fileVault(dir: string) {
  return createVault({ store: await createFileStore({ directory: dir }), keys: [{ id: 'k1', secret: SECRET }] });
}

describe.each(['reuse', 'rotate'] as const)('against the real server (%s policy)', (policy) => {
  it('runs the full flow npsso → code → tokens → refresh with psn-api shaped results', async () => {
    const npsso = await server.signIn('bot-owner@example.com', 'correct horse battery staple');
    const opts = clientOptions(policy);
    const code = await exchangeNpssoForAccessCode(npsso, opts);
    expect(code).toMatch(/^v3\./);
    const tokens = await exchangeAccessCodeForAuthTokens(code, opts);
    expect(decodeJwtPayload(tokens.accessToken)?.sub).toBe(userId);
    expect(decodeJwtPayload(tokens.idToken)?.sub).toBe(userId);
    expect(tokens.expiresIn).toBe(3600);
    expect(tokens.refreshTokenExpiresIn).toBeGreaterThan(59 * 86400);
    expect(tokens.tokenType.toLowerCase()).toBe('bearer');
    const next = await exchangeRefreshTokenForAuthTokens(tokens.refreshToken, opts);
    expect(next.accessToken).not.toBe(tokens.accessToken);
    if (policy === 'reuse') expect(next.refreshToken).toBe(tokens.refreshToken);
    else expect(next.refreshToken).not.toBe(tokens.refreshToken);
  });

  it('refreshes a session at expiry with exactly one token request for 1,000 concurrent callers', async () => {
    let clock = Date.now();
    const { fetch: f, counts } = countingFetch();
    const npsso = await server.signIn('bot-owner@example.com', 'correct horse battery staple');
    const session = await AuthSession.fromNpsso(npsso, { ...clientOptions(policy), fetch: f, now: () => clock });
    const first = await session.getAccessToken();
    expect(counts.token).toBe(1);
    clock += HOUR;
    const all = await Promise.all(Array.from({ length: 1000 }, () => session.getAccessToken()));
    expect(counts.token).toBe(2);
    expect(new Set(all).size).toBe(1);
    expect(all[0]).not.toBe(first);
    expect(decodeJwtPayload(all[0])?.sub).toBe(userId);
  });

  it('two sessions with separate memory on one file store make one refresh, then keep working', async () => {
    let clock = Date.now();
    const dir = path.join(tmp, `shared-${policy}`);
    const { fetch: f, counts } = countingFetch();
    const npsso = await server.signIn('bot-owner@example.com', 'correct horse battery staple');
    await AuthSession.fromNpsso(npsso, { ...clientOptions(policy), fetch: f, vault: await fileVault(dir), name: 'bot' });
    const opts = { ...clientOptions(policy), fetch: f, now: () => clock };
    const a = await AuthSession.fromVault(await fileVault(dir), 'bot', opts);
    const b = await AuthSession.fromVault(await fileVault(dir), 'bot', opts);
    clock += HOUR;
    counts.token = 0;
    const [ta, tb] = await Promise.all([a.getAccessToken(), b.getAccessToken()]);
    expect(counts.token).toBe(1);
    expect(ta).toBe(tb);
    clock += HOUR;
    const [ta2, tb2] = await Promise.all([b.getAccessToken(), a.getAccessToken()]);
    expect(counts.token).toBe(2);
    expect(ta2).toBe(tb2);
    expect(ta2).not.toBe(ta);
  });

  it('loses nothing when the process crashes between the refresh and the save', async () => {
    let clock = Date.now();
    const dir = path.join(tmp, `crash-${policy}`);
    const npsso = await server.signIn('bot-owner@example.com', 'correct horse battery staple');
    const opts = { ...clientOptions(policy), now: () => clock };
    await AuthSession.fromNpsso(npsso, { ...opts, vault: await fileVault(dir), name: 'bot' });
    const real = await fileVault(dir);
    const before = (await real.load('bot'))!;
    // The "crash": the server answered the refresh, the save never happened.
    const crashing: SessionVault = {
      load: (n) => real.load(n),
      save: async () => {
        throw new Error('process killed');
      },
      withLock: (n, fn, o) => real.withLock(n, fn, o),
    };
    const doomed = await AuthSession.fromVault(crashing, 'bot', opts);
    clock += HOUR;
    await expect(doomed.getAccessToken()).rejects.toBeInstanceOf(PersistError);
    expect((await real.load('bot'))!.refreshToken).toBe(before.refreshToken);
    // The restarted process retries with the stored token (rotate: within the retry window).
    const restarted = await AuthSession.fromVault(await fileVault(dir), 'bot', opts);
    const token = await restarted.getAccessToken();
    expect(decodeJwtPayload(token)?.sub).toBe(userId);
    const after = (await real.load('bot'))!;
    expect(after.accessToken).toBe(token);
    if (policy === 'rotate') expect(after.refreshToken).not.toBe(before.refreshToken);
    // And the family is still alive: the next refresh works too.
    clock += HOUR;
    expect(await restarted.getAccessToken()).not.toBe(token);
  });
});

describe('against the real server: refusals', () => {
  it('maps an unknown refresh token to ERR_RELOGIN_REQUIRED', async () => {
    const err = await exchangeRefreshTokenForAuthTokens('not-a-refresh-token', clientOptions('reuse')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReloginRequiredError);
    expect(err).toMatchObject({ code: 'ERR_RELOGIN_REQUIRED', error: 'invalid_grant', status: 400 });
  });

  it('maps reuse of a spent rotated token (family revoked) to ERR_RELOGIN_REQUIRED and emits reloginRequired', async () => {
    const strict = await startTestServer({ config: { rotationRetryWindowSec: 0 } });
    try {
      await strict.addUser('x@example.com', 'correct horse battery staple');
      await strict.addClient({ id: 'r', secret: 'r-secret-0123456789', redirectUris: ['com.example.bot://redirect'], scope: 'openid', refreshPolicy: 'rotate' });
      const opts = { baseUrl: strict.url, clientId: 'r', clientSecret: 'r-secret-0123456789', redirectUri: 'com.example.bot://redirect', scope: 'openid' };
      const npsso = await strict.signIn('x@example.com', 'correct horse battery staple');
      const tokens = await exchangeAccessCodeForAuthTokens(await exchangeNpssoForAccessCode(npsso, opts), opts);
      await new Promise((r) => setTimeout(r, 5));
      await exchangeRefreshTokenForAuthTokens(tokens.refreshToken, opts);
      await new Promise((r) => setTimeout(r, 1_100));
      let clock = Date.now();
      const stale = new AuthSession(tokens, { ...opts, now: () => clock });
      const seen: string[] = [];
      stale.on('reloginRequired', (e) => seen.push(e.code));
      clock += 2 * HOUR;
      const err = await stale.getAccessToken().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReloginRequiredError);
      expect(err).toMatchObject({ code: 'ERR_RELOGIN_REQUIRED', error: 'invalid_grant', status: 400 });
      expect(seen).toEqual(['ERR_RELOGIN_REQUIRED']);
    } finally {
      await strict.close();
    }
  });

  it('maps a wrong client secret to ERR_INVALID_CLIENT', async () => {
    const npsso = await server.signIn('bot-owner@example.com', 'correct horse battery staple');
    const code = await exchangeNpssoForAccessCode(npsso, clientOptions('reuse'));
    await expect(
      exchangeAccessCodeForAuthTokens(code, { ...clientOptions('reuse'), clientSecret: 'wrong' }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_CLIENT', error: 'invalid_client', status: 401 });
  });

  it('maps an unknown NPSSO to ERR_INVALID_NPSSO', async () => {
    await expect(exchangeNpssoForAccessCode('z'.repeat(64), clientOptions('reuse'))).rejects.toMatchObject({ code: 'ERR_INVALID_NPSSO' });
  });
});
