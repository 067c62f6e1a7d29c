/** The polling rules of RFC 8628 3.5 on a frozen clock: pace, slow_down, expiry, denial, abort. */
import { describe, expect, it } from 'vitest';
import { DeviceDeniedError, DeviceExpiredError } from '../deviceErrors.js';
import { InvalidClientError, TimeoutError } from '../errors.js';
import { json } from '../test-support/fakeFetch.js';
import { abortingWith, approved, authorizationBody, deviceClock, fakeDeviceServer, pending, slowDown } from '../test-support/fakeDeviceServer.js';
import { rejection } from '../test-support/rejection.js';
import type { DeviceAuthorization } from './deviceTypes.js';
import { keyturnServer } from './keyturnServer.js';
import { pollDeviceToken } from './pollDeviceToken.js';
import { processDeviceAuthorizationResponse } from './processDeviceAuthorizationResponse.js';

const server = keyturnServer('http://127.0.0.1:8080', { clientId: 'tv-app' });

async function codes(clock: { now: () => number }, overrides: Record<string, unknown> = {}): Promise<DeviceAuthorization> {
  return processDeviceAuthorizationResponse(json(authorizationBody(overrides)), clock);
}

describe('pollDeviceToken', () => {
  it('waits the interval before each poll and resolves to the tokens once approved', async () => {
    const clock = deviceClock();
    const s = fakeDeviceServer(clock, [pending, pending, approved]);
    const tokens = await pollDeviceToken(await codes(clock), { ...server, ...clock, fetch: s.fetch });
    expect(tokens.accessToken).toBe('at-1');
    expect(s.polls).toEqual([5, 10, 15]);
  });

  it('waits 5 s longer after each slow_down, for every poll after it', async () => {
    const clock = deviceClock();
    const s = fakeDeviceServer(clock, [pending, slowDown, pending, slowDown, pending, approved]);
    await pollDeviceToken(await codes(clock), { ...server, ...clock, fetch: s.fetch });
    expect(s.polls).toEqual([5, 10, 20, 30, 45, 60]);
  });

  it('sends no poll once expires_in has passed and rejects with ERR_DEVICE_EXPIRED naming the expiry', async () => {
    const clock = deviceClock();
    const s = fakeDeviceServer(clock, [pending]);
    const err = (await rejection(pollDeviceToken(await codes(clock, { expires_in: 22 }), { ...server, ...clock, fetch: s.fetch }))) as DeviceExpiredError;
    expect(err).toBeInstanceOf(DeviceExpiredError);
    expect(err.code).toBe('ERR_DEVICE_EXPIRED');
    expect(err.expiresAt).toBe('2026-01-01T00:00:22.000Z');
    expect(s.polls).toEqual([5, 10, 15, 20]);
    expect(clock.sleeps.at(-1)).toBe(2_000);
  });

  it('stops at the server\'s expired_token with ERR_DEVICE_EXPIRED', async () => {
    const clock = deviceClock();
    const s = fakeDeviceServer(clock, [pending, () => json({ error: 'expired_token' }, 400)]);
    const err = (await rejection(pollDeviceToken(await codes(clock), { ...server, ...clock, fetch: s.fetch }))) as DeviceExpiredError;
    expect(err).toBeInstanceOf(DeviceExpiredError);
    expect(err.expiresAt).toBe('2026-01-01T00:10:00.000Z');
    expect(s.polls).toEqual([5, 10]);
  });

  it('stops at access_denied with ERR_DEVICE_DENIED and polls no more', async () => {
    const clock = deviceClock();
    const s = fakeDeviceServer(clock, [pending, () => json({ error: 'access_denied' }, 400), approved]);
    const err = await rejection(pollDeviceToken(await codes(clock), { ...server, ...clock, fetch: s.fetch }));
    expect(err).toBeInstanceOf(DeviceDeniedError);
    expect(s.polls).toEqual([5, 10]);
  });

  it('rejects with an error that polling cannot fix (invalid_client) at once', async () => {
    const clock = deviceClock();
    const s = fakeDeviceServer(clock, [() => json({ error: 'invalid_client' }, 401), approved]);
    expect(await rejection(pollDeviceToken(await codes(clock), { ...server, ...clock, fetch: s.fetch }))).toBeInstanceOf(InvalidClientError);
    expect(s.polls).toEqual([5]);
  });

  it('after a 429 waits its Retry-After before the next poll, then keeps the interval', async () => {
    const clock = deviceClock();
    const s = fakeDeviceServer(clock, [() => json({}, 429, { 'retry-after': '30' }), pending, approved]);
    await pollDeviceToken(await codes(clock), { ...server, ...clock, fetch: s.fetch });
    expect(s.polls).toEqual([5, 35, 40]);
  });

  it('never polls faster than once a second, even when the server says interval 0', async () => {
    const clock = deviceClock();
    const s = fakeDeviceServer(clock, [pending, approved]);
    await pollDeviceToken(await codes(clock, { interval: 0 }), { ...server, ...clock, fetch: s.fetch });
    expect(s.polls).toEqual([1, 2]);
  });

  it('doubles the interval after a poll that timed out (RFC 8628 3.5 backoff)', async () => {
    const clock = deviceClock();
    let calls = 0;
    const hangsOnce: typeof fetch = (_url, init) => {
      calls += 1;
      if (calls > 1) return Promise.resolve(approved());
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    };
    const tokens = await pollDeviceToken(await codes(clock), { ...server, ...clock, fetch: hangsOnce, timeoutMs: 5 });
    expect(tokens.accessToken).toBe('at-1');
    expect(clock.sleeps).toEqual([5_000, 10_000]);
  });

  it('rejects with the signal\'s reason when aborted between polls, and polls no more', async () => {
    const clock = deviceClock();
    const stop = new AbortController();
    const s = fakeDeviceServer(clock, [abortingWith(stop, 'stopped by the user', pending), approved]);
    const err = await rejection(pollDeviceToken(await codes(clock), { ...server, ...clock, fetch: s.fetch, signal: stop.signal }));
    expect(err.message).toBe('stopped by the user');
    expect(s.polls).toEqual([5]);
  });

  it('rejects with the signal\'s reason when aborted during a poll, not with a timeout or network error', async () => {
    const clock = deviceClock();
    const stop = new AbortController();
    const hangs: typeof fetch = (_url, init) => {
      setTimeout(() => stop.abort(new Error('Ctrl-C')), 1);
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    };
    const err = await rejection(pollDeviceToken(await codes(clock), { ...server, ...clock, fetch: hangs, signal: stop.signal }));
    expect(err).not.toBeInstanceOf(TimeoutError);
    expect(err.message).toBe('Ctrl-C');
  });

  it('waits on a real timer by default, which an abort cuts short', async () => {
    const clock = deviceClock();
    const stop = new AbortController();
    const s = fakeDeviceServer(clock, [approved]);
    const started = Date.now();
    setTimeout(() => stop.abort(new Error('cut short')), 20);
    const err = await rejection(pollDeviceToken(await codes(clock), { ...server, now: clock.now, fetch: s.fetch, signal: stop.signal }));
    expect(err.message).toBe('cut short');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(s.polls).toEqual([]);
  });
});
