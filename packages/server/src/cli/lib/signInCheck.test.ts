/** The verdict of `keyturn status --check` at each boundary, on a frozen clock. */
import { describe, expect, it } from 'vitest';
import { PSN_BASE_URL } from '@keyturn/client';
import type { Profile } from './profiles.js';
import { CHECK_STATES, reloginCommand, signInSentence, signInState } from './signInCheck.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const DAY = 86_400_000;
const ends = new Date(T0 + 30 * DAY).toISOString();
const keyturn: Profile = { baseUrl: 'http://127.0.0.1:8080/api/authz/v3/oauth', clientId: 'bot', redirectUri: 'x://y', scope: '' };

describe('signInState (default 7 warning days, refresh token ending at T0 + 30 days)', () => {
  const at = (ms: number, warnDays = 7) => signInState(ends, ms, warnDays);

  it('is OK while more than 7 days are left, up to 1 ms before the warning starts', () => {
    expect(at(T0)).toBe('OK');
    expect(at(T0 + 23 * DAY - 1)).toBe('OK');
  });

  it('is WARNING from exactly 7 days before the end to 1 ms before it', () => {
    expect(at(T0 + 23 * DAY)).toBe('WARNING');
    expect(at(T0 + 30 * DAY - 1)).toBe('WARNING');
  });

  it('is CRITICAL from the instant the refresh token ends', () => {
    expect(at(T0 + 30 * DAY)).toBe('CRITICAL');
    expect(at(T0 + 400 * DAY)).toBe('CRITICAL');
  });

  it('moves the warning with --warn-days; 0 never warns', () => {
    expect(at(T0, 30)).toBe('WARNING');
    expect(at(T0 - 1, 30)).toBe('OK');
    expect(at(T0 + 30 * DAY - 1, 0)).toBe('OK');
  });

  it('maps the states to the Nagios exit codes', () => {
    expect(CHECK_STATES).toEqual({ OK: 0, WARNING: 1, CRITICAL: 2 });
  });

  it('is CRITICAL for an expiry that is not a date, rather than OK', () => {
    expect(signInState('soon', T0, 7)).toBe('CRITICAL');
  });
});

describe('signInSentence', () => {
  it('says until when an OK sign-in lasts', () => {
    expect(signInSentence('OK', 'default', keyturn, ends, T0)).toBe('profile "default" stays signed in until 2026-01-31T00:00:00Z (in 30 days 0 h): sign in again before then');
  });

  it('says when a sign-in ends and the command to sign in again on a phone', () => {
    expect(signInSentence('WARNING', 'bot', keyturn, ends, T0 + 27 * DAY)).toBe(
      'the sign-in of profile "bot" ends in 3 days 0 h (2026-01-31T00:00:00Z): sign in again before then with keyturn login --device --server http://127.0.0.1:8080 --client-id bot --profile bot',
    );
  });

  it('says since when a sign-in has ended', () => {
    expect(signInSentence('CRITICAL', 'default', keyturn, ends, T0 + 32 * DAY)).toBe(
      'the sign-in of profile "default" ended 2 days 0 h ago (2026-01-31T00:00:00Z): sign in again now with keyturn login --device --server http://127.0.0.1:8080 --client-id bot',
    );
  });

  it('names the NPSSO sign-in for PlayStation, which has no device sign-in', () => {
    expect(reloginCommand('default', { ...keyturn, baseUrl: PSN_BASE_URL })).toBe('keyturn login --npsso-stdin');
  });
});
