import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MIN, stored, T0 } from '../test-support/sessionFixtures.js';
import { resolveSessionOptions } from './resolveSessionOptions.js';
import {
  fastPathUntil,
  isFresh,
  mustRefresh,
  refreshTokenAboutToExpire,
  refreshTokenExpired,
  refreshWindows,
  shouldRefreshInBackground,
  type WindowOptions,
} from './refreshWindows.js';

const DEFAULTS: WindowOptions = resolveSessionOptions();
const SEC = 1000;

/** Which of the three access-token windows an instant falls into. */
function phase(windows: ReturnType<typeof refreshWindows>, now: number): string {
  const answers = [isFresh(windows, now), shouldRefreshInBackground(windows, now), mustRefresh(windows, now)];
  expect(answers.filter(Boolean)).toHaveLength(1); // exactly one window holds at any instant
  return ['fresh', 'should', 'must'][answers.indexOf(true)]!;
}

describe('refreshWindows with the default options (token for an hour, from T0)', () => {
  const windows = refreshWindows(stored(), DEFAULTS);

  it('starts the "should refresh" window 5 minutes before the access token expires', () => {
    expect(windows.shouldAt).toBe(T0 + HOUR - 5 * MIN);
    expect(phase(windows, T0 + HOUR - 5 * MIN - 1)).toBe('fresh');
    expect(phase(windows, T0 + HOUR - 5 * MIN)).toBe('should');
  });

  it('starts the "must refresh" window 30 s plus 10 s of clock skew before expiry', () => {
    expect(windows.mustAt).toBe(T0 + HOUR - 40 * SEC);
    expect(phase(windows, T0 + HOUR - 40 * SEC - 1)).toBe('should');
    expect(phase(windows, T0 + HOUR - 40 * SEC)).toBe('must');
  });

  it('stays in the "must" window after expiry', () => {
    expect(phase(windows, T0 + 2 * HOUR)).toBe('must');
  });

  it('warns from 7 days before the refresh token expires', () => {
    expect(refreshTokenAboutToExpire(windows, T0 + 53 * DAY - 1)).toBe(false);
    expect(refreshTokenAboutToExpire(windows, T0 + 53 * DAY)).toBe(true);
  });

  it('calls the refresh token expired from its expiry on, or earlier by a margin', () => {
    expect(refreshTokenExpired(windows, T0 + 60 * DAY - 1)).toBe(false);
    expect(refreshTokenExpired(windows, T0 + 60 * DAY)).toBe(true);
    expect(refreshTokenExpired(windows, T0 + 60 * DAY - 10 * SEC, 10 * SEC)).toBe(true);
    expect(refreshTokenExpired(windows, T0 + 60 * DAY - 10 * SEC - 1, 10 * SEC)).toBe(false);
  });
});

describe('refreshWindows with configured options', () => {
  it('honours each configured window', () => {
    const options: WindowOptions = { refreshWindowMs: 20 * MIN, mustRefreshWindowMs: 10 * MIN, clockSkewMs: 0, refreshTokenWarningDays: 30 };
    const windows = refreshWindows(stored(), options);
    expect(windows).toMatchObject({ shouldAt: T0 + 40 * MIN, mustAt: T0 + 50 * MIN, warnAt: T0 + 30 * DAY });
  });

  it('never lets the "should" window start after the "must" window', () => {
    const options: WindowOptions = { ...DEFAULTS, refreshWindowMs: 0 };
    const windows = refreshWindows(stored(), options);
    expect(windows.shouldAt).toBe(windows.mustAt);
    expect(phase(windows, windows.mustAt - 1)).toBe('fresh');
  });
});

describe('refreshWindows for a token that lives shorter than the windows', () => {
  it('scales them to half and a quarter of its lifetime instead of refreshing on every call', () => {
    const shortLived = stored({ accessTokenExpiresAt: new Date(T0 + 20 * SEC).toISOString() });
    const windows = refreshWindows(shortLived, DEFAULTS);
    expect(windows.shouldAt).toBe(T0 + 10 * SEC);
    expect(windows.mustAt).toBe(T0 + 15 * SEC);
    expect(phase(windows, T0 + 4 * SEC)).toBe('fresh');
  });

  it('puts an already expired token (no lifetime) in the "must" window at once', () => {
    const dead = stored({ accessTokenExpiresAt: new Date(T0).toISOString() });
    expect(phase(refreshWindows(dead, DEFAULTS), T0)).toBe('must');
  });
});

describe('refreshWindows on unreadable tokens', () => {
  for (const field of ['accessTokenExpiresAt', 'refreshTokenExpiresAt', 'obtainedAt'] as const) {
    it(`refuses a ${field} that is not an ISO date`, () => {
      expect(() => refreshWindows(stored({ [field]: 'tomorrow' }), DEFAULTS)).toThrow(TypeError);
    });
  }
});

describe('fastPathUntil', () => {
  it('ends the fast path at the refresh token\'s warning period until that warning was given, then at the "should" window', () => {
    const windows = refreshWindows(stored({ refreshTokenExpiresAt: new Date(T0 + 7 * DAY + 30 * MIN).toISOString() }), DEFAULTS);
    expect(fastPathUntil(windows, false)).toBe(T0 + 30 * MIN);
    expect(fastPathUntil(windows, true)).toBe(T0 + HOUR - 5 * MIN);
  });
});
