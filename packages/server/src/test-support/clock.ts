/** The one way tests control time: a frozen clock that only moves when the test moves it. */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A clock the test moves by hand; hand `now` to the server (`startTestServer({ now: clock.now })`). */
export interface FrozenClock {
  /** The current time in epoch ms (a bound function: pass it around as is). */
  readonly now: () => number;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
  /** Puts the clock at `ms` (epoch ms). */
  set(ms: number): void;
  /** The current time as a Date (for `jwtVerify`'s `currentDate`). */
  date(): Date;
}

/**
 * A clock frozen at `startMs` (default: now).
 *
 * @example
 * ```ts
 * const clock = frozenClock(Date.UTC(2030, 0, 1));
 * const s = await startTestServer({ now: clock.now });
 * clock.advance(61 * SECOND); // the code has expired
 * ```
 */
export function frozenClock(startMs: number = Date.now()): FrozenClock {
  let t = startMs;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    set(ms) {
      t = ms;
    },
    date: () => new Date(t),
  };
}
