/** The lock loop every store shares: try, back off, give up with ERR_LOCK_TIMEOUT; release only our own token. */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../../vault/errors.js';
import type { LockOptions } from '../../vault/types.js';

/**
 * Default lock time-to-live, 30 s, as documented on `LockOptions`.
 *
 * @example
 * ```ts
 * const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
 * ```
 */
export const DEFAULT_TTL_MS = 30_000;

/**
 * Default longest wait for a lock, 30 s, as documented on `LockOptions`.
 *
 * @example
 * ```ts
 * const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
 * ```
 */
export const DEFAULT_WAIT_MS = 30_000;

const FIRST_DELAY_MS = 5;
const MAX_DELAY_MS = 100;

/**
 * What a backend provides: one atomic attempt and a compare-and-release.
 *
 * @example
 * ```ts
 * const backend: LockBackend = {
 *   tryAcquire: async (key, token, ttlMs) => claim(key, token, ttlMs),
 *   release: async (key, token) => unclaim(key, token),
 * };
 * ```
 */
export interface LockBackend {
  /** Takes the lock for `token` if it is free or its holder's ttl has passed; true on success. */
  tryAcquire(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Frees the lock only if `token` still holds it. */
  release(key: string, token: string): Promise<void>;
}

function positive(value: number | undefined, fallback: number, label: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new StoreError('ERR_STORE_CONFIG', `${label} must be a positive number of milliseconds`);
  }
  return value;
}

/**
 * Runs `fn` under the backend's lock `key`, polling with exponential backoff and jitter
 * (5 ms doubling to 100 ms) until `waitMs` has passed. The lock is released when `fn` settles;
 * a failed release is ignored because the ttl frees the lock anyway.
 *
 * @example
 * ```ts
 * const result = await withPolledLock(backend, 'alice', async () => refresh(), { waitMs: 5_000 });
 * ```
 */
export async function withPolledLock<T>(
  backend: LockBackend,
  key: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const ttlMs = positive(options.ttlMs, DEFAULT_TTL_MS, 'ttlMs');
  const waitMs = positive(options.waitMs, DEFAULT_WAIT_MS, 'waitMs');
  const token = randomBytes(16).toString('base64url');
  const deadline = Date.now() + waitMs;
  let delay = FIRST_DELAY_MS;
  while (!(await backend.tryAcquire(key, token, ttlMs))) {
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new StoreError('ERR_LOCK_TIMEOUT', `Lock "${key}" still held by someone else after ${waitMs} ms`);
    }
    await sleep(Math.min(left, delay / 2 + Math.random() * delay));
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
  try {
    return await fn();
  } finally {
    await backend.release(key, token).catch(() => undefined);
  }
}
