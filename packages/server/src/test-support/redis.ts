/**
 * The real Redis on this machine, under a key prefix of the test's own, so runs never collide:
 * servers get `{ redisUrl, redisPrefix }`, the test gets a connection to look at what they
 * wrote, and `drop()` deletes every key under the prefix; and two test servers sharing it.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import type { ServerConfig } from '../config.js';
import { startTestServer, type TestServer } from './server.js';

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

/** Connects to the test Redis under a fresh key prefix; `drop()` it afterwards. */
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

/**
 * Two test servers with databases of their own that share one Redis sandbox (as processes
 * behind a load balancer share their counters), for the tests of one `describe` block, with
 * what `setup` made on them; all closed and dropped afterwards.
 *
 * @example
 * ```ts
 * const f = useServersSharingRedis({ loginLockAfter: 3 }, async (servers) => ({ eve: await aPerson(servers) }));
 * it('locks on both', async () => {
 *   const { a, b, r, eve } = f;
 * });
 * ```
 */
export function useServersSharingRedis<T extends object>(
  config: Partial<ServerConfig>,
  setup: (servers: [TestServer, TestServer]) => Promise<T>,
): { readonly a: TestServer; readonly b: TestServer; readonly r: RedisSandbox } & Readonly<T> {
  const fixture: { a?: TestServer; b?: TestServer; r?: RedisSandbox } = {};
  beforeAll(async () => {
    const r = (fixture.r = await openRedisSandbox());
    const [a, b] = await Promise.all([startTestServer({ config: { ...config, ...r.config } }), startTestServer({ config: { ...config, ...r.config } })]);
    Object.assign(fixture, { a, b }, await setup([a, b]));
  });
  afterAll(async () => {
    await Promise.all([fixture.a?.close(), fixture.b?.close()]);
    await fixture.r?.drop();
  });
  return fixture as { a: TestServer; b: TestServer; r: RedisSandbox } & T;
}
