/** AuthSession with a vault: saved before use, fail closed, one refresh across sessions sharing the vault. */
import { beforeEach, describe, expect, it } from 'vitest';
import { PersistError } from '../errors.js';
import { createMemoryStore } from '../stores/memory.js';
import { fakeTokenServer } from '../test-support/fakeTokenServer.js';
import { createVault } from '../vault/createVault.js';
import { AuthSession } from './authSession.js';
import { HOUR, T0 } from './test-support/sessionFixtures.js';
import type { SessionVault } from './types.js';

let clock = T0;
const now = () => clock;

beforeEach(() => {
  clock = T0;
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
