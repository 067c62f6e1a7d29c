/** The Redis `TokenStore` (`@keyturn/client/stores/redis`) on ioredis, an optional peer dependency. */
import { StoreError } from '../vault/errors.js';
import type { TokenStore } from '../vault/types.js';
import { loadDriver } from './lib/loadDriver.js';
import { withPolledLock, type LockBackend } from './lib/pollLock.js';
import { validateKey } from './lib/validateKey.js';

/**
 * What this store needs from an ioredis client: the generic `call` (so ioredis types are not required).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const client: RedisLike = new Redis('redis://127.0.0.1:6379');
 * ```
 */
export interface RedisLike {
  call(command: string, ...args: Array<string | number>): Promise<unknown>;
}

/**
 * Options of {@link createRedisStore}: a URL to connect to, or a client you manage.
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { url: 'redis://127.0.0.1:6379', prefix: 'my-bot:tokens:' };
 * ```
 */
export type RedisStoreOptions = {
  /** Prefix of every key this store writes. Default `keyturn:tokens:`. Two prefixes never see each other. */
  prefix?: string;
} & ({ url: string; client?: never } | { client: RedisLike; url?: never });

interface OwnedClient extends RedisLike {
  quit(): Promise<unknown>;
}
type RedisConstructor = new (url: string, options: { lazyConnect: boolean; maxRetriesPerRequest: number }) => OwnedClient & {
  connect(): Promise<void>;
  disconnect(): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
};

/** Frees the lock only if it still holds our token: a holder that overran its ttl cannot free a successor's lock. */
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Escapes Redis glob characters so a prefix matches only itself in SCAN. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * Opens a store in Redis. Values live at `<prefix>v:<key>`, locks at `<prefix>l:<key>`; a lock is
 * `SET … NX PX ttl` with a random token, released by a compare-and-delete Lua script, so every
 * process sharing the Redis is excluded and a crashed holder's lock expires by itself. A client
 * opened from `url` is closed by `close()`; a `client` you pass in is left open (it must not use
 * ioredis's `keyPrefix`, which SCAN patterns do not get).
 *
 * @example
 * ```ts
 * import { createRedisStore } from '@keyturn/client/stores/redis';
 *
 * const store = await createRedisStore({ url: 'redis://127.0.0.1:6379', prefix: 'my-bot:tokens:' });
 * ```
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<TokenStore> {
  const prefix = options.prefix ?? 'keyturn:tokens:';
  let client: RedisLike;
  let owned: OwnedClient | undefined;
  if (options.client !== undefined) {
    client = options.client;
  } else if (typeof options.url === 'string' && options.url.length > 0) {
    const Redis = await loadDriver<RedisConstructor>('ioredis', () => import('ioredis'));
    const opened = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    // Connection errors reach callers as rejected commands; without a listener ioredis also logs them.
    opened.on('error', () => undefined);
    try {
      await opened.connect();
    } catch (err) {
      opened.disconnect(); // otherwise ioredis keeps reconnecting and holds the process open
      throw err;
    }
    owned = opened;
    client = opened;
  } else {
    throw new StoreError('ERR_STORE_CONFIG', 'createRedisStore needs a url or a client');
  }
  const valueKey = (key: string) => `${prefix}v:${key}`;
  const lockKey = (key: string) => `${prefix}l:${key}`;

  const backend: LockBackend = {
    async tryAcquire(key, token, ttlMs) {
      return (await client.call('SET', lockKey(key), token, 'PX', Math.ceil(ttlMs), 'NX')) === 'OK';
    },
    async release(key, token) {
      await client.call('EVAL', RELEASE_SCRIPT, 1, lockKey(key), token);
    },
  };

  return {
    async get(key) {
      validateKey(key);
      const value = await client.call('GET', valueKey(key));
      return typeof value === 'string' ? value : null;
    },
    async set(key, value) {
      validateKey(key);
      await client.call('SET', valueKey(key), value);
    },
    async delete(key) {
      validateKey(key);
      await client.call('DEL', valueKey(key));
    },
    async keys() {
      const pattern = `${escapeGlob(prefix)}v:*`;
      const found = new Set<string>(); // SCAN may return a key twice
      let cursor = '0';
      do {
        const [next, batch] = (await client.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', 500)) as [string, string[]];
        for (const name of batch) found.add(name.slice(prefix.length + 2));
        cursor = next;
      } while (cursor !== '0');
      return [...found];
    },
    async withLock(key, fn, lockOptions) {
      validateKey(key);
      return withPolledLock(backend, key, fn, lockOptions);
    },
    async close() {
      await owned?.quit();
    },
  };
}
