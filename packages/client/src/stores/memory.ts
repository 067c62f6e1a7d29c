/** The in-process `TokenStore`: for tests, scripts and single-process apps; nothing survives a restart. */
import type { TokenStore } from '../vault/types.js';
import { withPolledLock, type LockBackend } from './lib/pollLock.js';
import { validateKey } from './lib/validateKey.js';

/**
 * Creates a store that keeps values in a `Map`. Locks exclude callers of this instance only, with
 * the same ttl semantics as the shared stores (a holder that never settles loses the lock after ttl).
 *
 * @example
 * ```ts
 * import { createMemoryStore, createVault } from '@keyturn/client';
 *
 * const vault = createVault({ store: createMemoryStore(), keys: [{ id: 'k1', secret }] });
 * ```
 */
export function createMemoryStore(): TokenStore {
  const values = new Map<string, string>();
  const locks = new Map<string, { token: string; expiresAt: number }>();

  const backend: LockBackend = {
    async tryAcquire(key, token, ttlMs) {
      const now = Date.now();
      const held = locks.get(key);
      if (held && held.expiresAt > now) return false;
      locks.set(key, { token, expiresAt: now + ttlMs });
      return true;
    },
    async release(key, token) {
      if (locks.get(key)?.token === token) locks.delete(key);
    },
  };

  return {
    async get(key) {
      validateKey(key);
      return values.get(key) ?? null;
    },
    async set(key, value) {
      validateKey(key);
      values.set(key, value);
    },
    async delete(key) {
      validateKey(key);
      values.delete(key);
    },
    async keys() {
      return [...values.keys()];
    },
    async withLock(key, fn, options) {
      validateKey(key);
      return withPolledLock(backend, key, fn, options);
    },
    async close() {},
  };
}
