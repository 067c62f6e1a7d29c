/** A read-sleep-write increment under `withLock`: loses updates as soon as two holders overlap. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TokenStore } from '../../vault/types.js';

/** Increments the stored counter `key` `times` times, each step holding `withLock(key)`. */
export async function incrementUnderLock(store: TokenStore, key: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    await store.withLock(
      key,
      async () => {
        const value = Number((await store.get(key)) ?? '0');
        await sleep(2);
        await store.set(key, String(value + 1));
      },
      { waitMs: 20_000, ttlMs: 10_000 },
    );
  }
}
