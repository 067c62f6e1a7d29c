/** "Sign in again by 24 Jan": the day shown for when an app's sign-in ends. */
import { describe, expect, it } from 'vitest';
import { exactDay, signInAgainBy } from './signInAgainBy.js';

const NOW = Date.UTC(2030, 0, 1, 12);
const DAY = 86_400_000;

describe('sign in again by', () => {
  it('names the day and month in UTC, and the year only when it is not this year', () => {
    expect(exactDay(Date.UTC(2030, 0, 24, 23, 59), NOW)).toBe('24 Jan');
    expect(exactDay(Date.UTC(2031, 2, 3), NOW)).toBe('3 Mar 2031');
  });

  it('marks the line as soon within a week of the end, and not before', () => {
    expect(signInAgainBy(NOW + 7 * DAY, NOW).value).toBe('<p class="renew soon">Sign in again by <strong>8 Jan</strong></p>');
    expect(signInAgainBy(NOW + 7 * DAY + 1, NOW).value).toBe('<p class="renew">Sign in again by <strong>8 Jan</strong></p>');
  });
});
