/**
 * The real Redis on this machine, under a key prefix of the test's own, so runs never collide:
 * servers get `{ redisUrl, redisPrefix }`, the test gets a connection to look at what they
 * wrote, and `drop()` deletes every key under the prefix.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.KEYTURN_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RedisSandbox {
  readonly url: string;
  /** `keyturn-test-<random>:`: the value of `redisPrefix` / `KEYTURN_REDIS_PREFIX`. */
  readonly prefix: string;
  /** What a server config needs to share this Redis and prefix. */
  readonly config: { redisUrl: string; redisPrefix: string };
  readonly redis: Redis;
  /** Deletes every key under the prefix and closes the connection; safe to call twice. */
  drop(): Promise<void>;
}

export async function openRedisSandbox(): Promise<RedisSandbox> {
  const prefix = `keyturn-test-${randomBytes(6).toString('hex')}:`;
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  return {
    url: TEST_REDIS_URL,
    prefix,
    config: { redisUrl: TEST_REDIS_URL, redisPrefix: prefix },
    redis,
    async drop() {
      if (redis.status !== 'ready') return;
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}
