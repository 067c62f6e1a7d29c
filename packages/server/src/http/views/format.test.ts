/** The account page's formatting: relative and exact times, and device names from User-Agent headers. */
import { describe, expect, it } from 'vitest';
import { deviceHint, exactTime, relativeTime } from './format.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const MIN = 60_000;

describe('relativeTime', () => {
  it('says "just now" within 45 seconds either way', () => {
    expect(relativeTime(NOW - 44_000, NOW)).toBe('just now');
    expect(relativeTime(NOW + 10_000, NOW)).toBe('just now');
  });

  it('uses the largest whole unit, in the past and the future', () => {
    expect(relativeTime(NOW - 2 * MIN, NOW)).toBe('2 minutes ago');
    expect(relativeTime(NOW - 90 * MIN, NOW)).toBe('2 hours ago');
    expect(relativeTime(NOW - 24 * 60 * MIN, NOW)).toBe('yesterday');
    expect(relativeTime(NOW - 3 * 24 * 60 * MIN, NOW)).toBe('3 days ago');
    expect(relativeTime(NOW + 60 * 24 * 60 * MIN, NOW)).toBe('in 2 months');
    expect(relativeTime(NOW + 400 * 24 * 60 * MIN, NOW)).toBe('next year');
  });
});

describe('exactTime', () => {
  it('writes day, month, year and 24-hour time in UTC, whatever the server zone', () => {
    expect(exactTime(Date.UTC(2026, 10, 22, 9, 5))).toBe('22 Nov 2026, 09:05 UTC');
  });
});

describe('deviceHint', () => {
  it.each([
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36', 'Chrome on macOS'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 'Safari on iPhone'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Edg/124.0', 'Edge on Windows'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', 'Firefox on Linux'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36', 'Chrome on Android'],
    ['node', 'Node.js app'],
    ['curl/8.5.0', 'curl'],
    ['okhttp/4.12.0', 'Android app'],
    ['PlayStation/24.1 CFNetwork/1490.0.4 Darwin/23.2.0', 'Apple app'],
    ['MyTrophyBot/2.1 (+https://example.com)', 'MyTrophyBot'],
    [null, 'Unknown device'],
    ['   ', 'Unknown device'],
  ])('names %s as %s', (ua, expected) => {
    expect(deviceHint(ua)).toBe(expected);
  });

  it('keeps an unknown product name short', () => {
    expect(deviceHint(`${'x'.repeat(80)}/1.0`)).toBe(`${'x'.repeat(39)}…`);
  });
});
