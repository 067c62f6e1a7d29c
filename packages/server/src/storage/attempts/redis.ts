/**
 * The attempt counter every `keyturn serve` process shares through Redis. ioredis is loaded
 * with `import()` when a counter is created, so a deployment without Redis never loads it.
 */
import type { AttemptCounter } from '../attemptCounter.js';
import { ServiceUnavailableError } from '../errors.js';
import { guardUnavailable } from '../lib/guardUnavailable.js';

/**
 * Fail fast while Redis is away: one retry, no queue of commands waiting for a reconnect, and
 * bounded waits, so a request is answered 503 in about a second instead of hanging or
 * piling up; reconnect (once connected) at most a second apart, so service resumes soon after Redis does.
 */
const FAIL_FAST = {
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  connectTimeout: 2_000,
  commandTimeout: 2_000,
} as const;

/**
 * Connects to Redis at `url` and counts under keys `prefix + key` (INCR + PEXPIRE NX in one
 * round trip, so the window starts at the first hit). A Redis that cannot be reached at start
 * fails at once with a `ServiceUnavailableError` naming the reason (`ECONNREFUSED 127.0.0.1:1`)
 * instead of retrying forever; once connected, a lost connection is retried in the background
 * and requests meanwhile fail with `ServiceUnavailableError`.
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
  let connected = false;
  let lastError: unknown;
  const redis = new Redis(url, {
    lazyConnect: true,
    ...FAIL_FAST,
    // Before the first connection, no retry: the start fails and says why.
    retryStrategy: (times) => (connected ? Math.min(times * 100, 1_000) : null),
  });
  // Without a listener ioredis prints "Unhandled error event" with a stack for every failed
  // reconnect; each request that needs Redis meanwhile gets its own ServiceUnavailableError.
  redis.on('error', (err) => (lastError = err));
  try {
    await redis.connect();
    connected = true;
  } catch (err) {
    // With no retry the client has ended already (a disconnect() now would hold the process for 2 s).
    throw new ServiceUnavailableError('redis', { cause: lastError ?? err });
  }
  return guardUnavailable<AttemptCounter>({
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
    async ping() {
      await redis.ping().catch(unavailable);
    },
    async close() {
      // quit() needs a live connection; a Redis that is away is just let go.
      if (redis.status === 'ready') await redis.quit();
      else redis.disconnect();
    },
  }, 'redis');
}

/** Any failure to reach Redis or to run a command there, as the storage error the HTTP layer answers 503 to. */
function unavailable(err: unknown): never {
  throw new ServiceUnavailableError('redis', { cause: err });
}
