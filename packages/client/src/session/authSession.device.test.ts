/** `AuthSession.fromDeviceLogin`: codes shown before polling, tokens bound to their server, saved only on approval. */
import { describe, expect, it } from 'vitest';
import { DeviceDeniedError } from '../deviceErrors.js';
import type { DeviceAuthorization } from '../exchange/deviceTypes.js';
import { keyturnServer } from '../exchange/keyturnServer.js';
import { createMemoryStore } from '../stores/memory.js';
import { json, tokenBody } from '../test-support/fakeFetch.js';
import { abortingWith, approved, deviceClock, fakeDeviceServer, pending } from '../test-support/fakeDeviceServer.js';
import { rejection } from '../test-support/rejection.js';
import { createVault } from '../vault/createVault.js';
import { AuthSession } from './authSession.js';

const server = keyturnServer('http://127.0.0.1:8080', { clientId: 'tv-app' });
const newVault = () => createVault({ store: createMemoryStore(), keys: [{ id: 'k1', secret: 'a'.repeat(64) }] });

describe('AuthSession.fromDeviceLogin', () => {
  it('shows the codes once before the first poll, then saves tokens bound to the server, timed from the poll that got them', async () => {
    const clock = deviceClock();
    const s = fakeDeviceServer(clock, [pending, approved]);
    const shown: Array<{ codes: DeviceAuthorization; polls: number }> = [];
    const vault = newVault();
    const session = await AuthSession.fromDeviceLogin({
      ...server,
      ...clock,
      fetch: s.fetch,
      vault,
      name: 'tv',
      onUserCode: (codes) => void shown.push({ codes, polls: s.polls.length }),
    });
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ polls: 0, codes: { userCode: 'WDJB-MJHT', verificationUriComplete: 'http://127.0.0.1:8080/device?user_code=WDJB-MJHT' } });
    expect(s.polls).toEqual([5, 10]);
    expect(await vault.load('tv')).toEqual(session.tokens);
    expect(session.tokens).toMatchObject({
      accessToken: 'at-1',
      refreshToken: 'rt-1',
      obtainedAt: '2026-01-01T00:00:10.000Z',
      accessTokenExpiresAt: '2026-01-01T01:00:10.000Z',
      tokenEndpoint: 'http://127.0.0.1:8080/api/authz/v3/oauth/token',
      clientId: 'tv-app',
    });
  });

  it('saves nothing when the person denies', async () => {
    const clock = deviceClock();
    const s = fakeDeviceServer(clock, [() => json({ error: 'access_denied' }, 400)]);
    const vault = newVault();
    const err = await rejection(AuthSession.fromDeviceLogin({ ...server, ...clock, fetch: s.fetch, vault, name: 'tv', onUserCode: () => {} }));
    expect(err).toBeInstanceOf(DeviceDeniedError);
    expect(await vault.load('tv')).toBeNull();
  });

  it('saves nothing when aborted after the approving answer arrived', async () => {
    const clock = deviceClock();
    const stop = new AbortController();
    const s = fakeDeviceServer(clock, [abortingWith(stop, 'Ctrl-C', approved)]);
    const vault = newVault();
    const err = await rejection(AuthSession.fromDeviceLogin({ ...server, ...clock, fetch: s.fetch, signal: stop.signal, vault, name: 'tv', onUserCode: () => {} }));
    expect(err.message).toBe('Ctrl-C');
    expect(await vault.load('tv')).toBeNull();
  });

  it('gives the session it makes none of the sign-in\'s signal: an abort later does not break refreshes', async () => {
    const clock = deviceClock();
    const stop = new AbortController();
    const s = fakeDeviceServer(clock, [approved, () => json(tokenBody({ access_token: 'at-2' }))]);
    const session = await AuthSession.fromDeviceLogin({ ...server, ...clock, fetch: s.fetch, signal: stop.signal, onUserCode: () => {} });
    stop.abort(new Error('sign-in over'));
    await session.refresh();
    expect(await session.getAccessToken()).toBe('at-2');
  });
});
