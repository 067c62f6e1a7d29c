/**
 * Counting failed sign-ins per account and per address. The counter lives in memory for one
 * process, or in Redis so that every `keyturn serve` process shares it.
 */

export interface AttemptCounter {
  /** Adds one failure under `key` and returns the count inside the current window. */
  hit(key: string, windowMs: number): Promise<number>;
  /** Current count without adding. */
  peek(key: string): Promise<number>;
  /** Takes back one hit: an attempt counted up front that turned out not to be a failure. */
  undo(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Counts one attempt under every key BEFORE the check it guards, and answers the highest count,
 * or `null` when the caller must be refused: already at `lockAfter` (then nothing is counted, so
 * a locked-out flood creates no counter keys; the in-memory counter is bounded and would evict
 * other keys, a victim's among them), or past it once counted. Counting first matters: only
 * checking a count and raising it after a failure let concurrent guesses all pass a count none
 * of them had raised yet (40 parallel sign-in guesses got 33 answers with a lock after 5).
 * A success takes its hit back with `undo` or `reset`.
 */
export async function countAttempt(counter: AttemptCounter, keys: string[], lockAfter: number, windowMs: number): Promise<number | null> {
  const seen = await Promise.all(keys.map((key) => counter.peek(key)));
  if (Math.max(...seen) >= lockAfter) return null;
  const counts = await Promise.all(keys.map((key) => counter.hit(key, windowMs)));
  const attempts = Math.max(...counts);
  return attempts > lockAfter ? null : attempts;
}

/** In-process counter; bounded so an attacker cycling keys cannot grow it without limit. */
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
    async close() {
      entries.clear();
    },
  };
}

/** Minimal surface of an ioredis client that the Redis counter needs. */
interface RedisLike {
  multi(): { incr(key: string): unknown; pexpire(key: string, ms: number, mode: 'NX'): unknown; exec(): Promise<Array<[Error | null, unknown]> | null> };
  get(key: string): Promise<string | null>;
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
  del(key: string): Promise<number>;
  quit(): Promise<unknown>;
}

/** Counter shared by all processes through Redis (INCR + PEXPIRE NX, one round trip). */
export async function createRedisAttemptCounter(url: string, prefix = 'keyturn:login:'): Promise<AttemptCounter> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 }) as unknown as RedisLike & { connect(): Promise<void> };
  await redis.connect();
  return {
    async hit(key, windowMs) {
      const tx = redis.multi();
      tx.incr(prefix + key);
      tx.pexpire(prefix + key, windowMs, 'NX');
      const result = await tx.exec();
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
    async close() {
      await redis.quit();
    },
  };
}
