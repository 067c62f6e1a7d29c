/**
 * The attempt counter every `keyturn serve` process shares through Redis. ioredis is loaded
 * with `import()` when a counter is created, so a deployment without Redis never loads it.
 */
import type { AttemptCounter } from '../attemptCounter.js';
import { ServiceUnavailableError } from '../errors.js';

/**
 * Connects to Redis at `url` and counts under keys `prefix + key` (INCR + PEXPIRE NX in one
 * round trip, so the window starts at the first hit).
 *
 * @example
 * ```ts
 * const attempts = await createRedisAttemptCounter('redis://127.0.0.1:6379', 'keyturn:login:');
 * await attempts.hit('ada@example.com', 15 * 60_000);
 * await attempts.close();
 * ```
 */
export async function createRedisAttemptCounter(url: string, prefix = 'keyturn:login:'): Promise<AttemptCounter> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  return {
    async hit(key, windowMs) {
      // An attempt that could not be counted must not run: any error or odd answer is a 503, never a count of 0.
      const result = await redis
        .multi()
        .incr(prefix + key)
        .pexpire(prefix + key, windowMs, 'NX')
        .exec()
        .catch(unavailable);
      const [error, count] = result?.[0] ?? [new Error('the transaction was discarded'), null];
      if (error || typeof count !== 'number') throw new ServiceUnavailableError('redis', { cause: error });
      return count;
    },
    async peek(key) {
      const count = Number((await redis.get(prefix + key).catch(unavailable)) ?? 0);
      return Number.isInteger(count) ? count : unavailable(new Error('the stored count is not a number'));
    },
    async undo(key) {
      // Never below zero, and never re-creating an expired key (DECR would, without a TTL).
      await redis.eval("local n = tonumber(redis.call('get', KEYS[1]) or '0') if n > 0 then return redis.call('decr', KEYS[1]) end return 0", 1, prefix + key).catch(unavailable);
    },
    async reset(key) {
      await redis.del(prefix + key).catch(unavailable);
    },
    async close() {
      await redis.quit();
    },
  };
}

/** Any failure to reach Redis or to run a command there, as the storage error the HTTP layer answers 503 to. */
function unavailable(err: unknown): never {
  throw new ServiceUnavailableError('redis', { cause: err });
}
