/** The in-process attempt counter, for a single `keyturn serve` process (no Redis). */
import type { AttemptCounter } from '../attemptCounter.js';

/**
 * A counter in this process's memory, bounded to `maxKeys` keys so that an attacker cycling
 * keys cannot grow it without limit: when full, the oldest key goes. `now` is the clock
 * windows are measured with.
 *
 * @example
 * ```ts
 * const attempts = createMemoryAttemptCounter();
 * await attempts.hit('login:ada@example.com', 15 * 60_000); // 1
 * ```
 */
export function createMemoryAttemptCounter(maxKeys = 100_000, now: () => number = Date.now): AttemptCounter {
  const entries = new Map<string, { count: number; resetAt: number }>();
  const live = (key: string) => {
    const e = entries.get(key);
    if (e && e.resetAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };
  return {
    async hit(key, windowMs) {
      const e = live(key);
      if (e) {
        e.count += 1;
        return e.count;
      }
      if (entries.size >= maxKeys) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(key, { count: 1, resetAt: now() + windowMs });
      return 1;
    },
    async peek(key) {
      return live(key)?.count ?? 0;
    },
    async undo(key) {
      const e = live(key);
      if (e && e.count > 0) e.count -= 1;
    },
    async reset(key) {
      entries.delete(key);
    },
    async ping() {},
    async close() {
      entries.clear();
    },
  };
}
