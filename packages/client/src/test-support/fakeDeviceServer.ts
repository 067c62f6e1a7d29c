/**
 * A device sign-in server behind a fake `fetch` and a frozen clock: `/device_authorization`
 * hands out codes, `/token` answers each poll from a script. Poll-pacing tests without a network.
 */
import { fakeFetch, json, tokenBody, type RecordedRequest } from './fakeFetch.js';

export const DEVICE_T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** The RFC 8628 3.2 answer of the fake, `overrides` on top. */
export function authorizationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    device_code: 'dc-secret-0123456789',
    user_code: 'WDJB-MJHT',
    verification_uri: 'http://127.0.0.1:8080/device',
    verification_uri_complete: 'http://127.0.0.1:8080/device?user_code=WDJB-MJHT',
    expires_in: 600,
    interval: 5,
    ...overrides,
  };
}

/** An RFC 8628 3.5 error answer to a poll. */
export const pending = () => json({ error: 'authorization_pending' }, 400);
export const slowDown = () => json({ error: 'slow_down' }, 400);
export const approved = () => json(tokenBody());

/** An answer given just after `stop` aborts with `reason`: someone pressing Ctrl-C while that poll is on its way. */
export function abortingWith(stop: AbortController, reason: string, answer: () => Response): () => Response {
  return () => {
    stop.abort(new Error(reason));
    return answer();
  };
}

/** A clock that only moves when the code under test sleeps (or the test moves it). */
export function deviceClock(start = DEVICE_T0) {
  const clock = {
    t: start,
    now: () => clock.t,
    /** Every wait asked for, in ms. */
    sleeps: [] as number[],
    async sleep(ms: number, signal?: AbortSignal): Promise<void> {
      signal?.throwIfAborted();
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

/**
 * `/token` answers the script in order (the last entry repeats); each poll's time is recorded
 * as seconds since `start`.
 */
export function fakeDeviceServer(clock: { now: () => number }, script: Array<(req: RecordedRequest) => Response>, start = DEVICE_T0) {
  const polls: number[] = [];
  const fetch = fakeFetch((req) => {
    if (req.url.pathname.endsWith('/device_authorization')) return json(authorizationBody());
    polls.push((clock.now() - start) / 1000);
    const answer = script[Math.min(polls.length, script.length) - 1];
    if (!answer) throw new Error('fakeDeviceServer: empty script');
    return answer(req);
  });
  return { fetch, polls };
}
