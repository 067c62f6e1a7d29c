/**
 * The attempt counter every `keyturn serve` process shares through Redis. ioredis is loaded
 * with `import()` when a counter is created, so a deployment without Redis never loads it.
 */
import type { AttemptCounter } from '../attemptCounter.js';
import { ServiceUnavailableError } from '../errors.js';
import { driverReason, guardUnavailable } from '../lib/unavailable.js';

/** How long connecting may take before a start (or a reconnection) gives up. */
const CONNECT_TIMEOUT_MS = 5_000;

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
    maxRetriesPerRequest: 2,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Before the first connection, no retry: the start fails and says why.
    retryStrategy: (times) => (connected ? Math.min(times * 200, 2_000) : null),
  });
  // Without a listener ioredis prints "Unhandled error event" with a stack on every retry.
  redis.on('error', (err) => (lastError = err));
  try {
    await redis.connect();
    connected = true;
  } catch (err) {
    // With no retry the client has ended already (a disconnect() now would hold the process for 2 s).
    throw new ServiceUnavailableError('redis', driverReason(lastError ?? err), { cause: lastError ?? err });
  }
  return guardUnavailable<AttemptCounter>({
    async hit(key, windowMs) {
      const result = await redis.multi().incr(prefix + key).pexpire(prefix + key, windowMs, 'NX').exec();
      const count = result?.[0]?.[1];
      return typeof count === 'number' ? count : Number(count ?? 0);
    },
    async peek(key) {
      return Number((await redis.get(prefix + key)) ?? 0);
    },
    async undo(key) {
      // Never below zero, and never re-creating an expired key (DECR would, without a TTL).
      await redis.eval("local n = tonumber(redis.call('get', KEYS[1]) or '0') if n > 0 then return redis.call('decr', KEYS[1]) end return 0", 1, prefix + key);
    },
    async reset(key) {
      await redis.del(prefix + key);
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      // QUIT waits for a connection that may never come back: give it a second, then drop it.
      const timer = setTimeout(() => redis.disconnect(), 1_000);
      await redis.quit().catch(() => undefined);
      clearTimeout(timer);
      redis.disconnect();
    },
  }, 'redis');
}
