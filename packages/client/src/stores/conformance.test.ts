/** One TokenStore conformance suite, run against all five stores on their real services. */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReadyChild, type ReadyChild } from '../test-support/readyChild.js';
import { StoreError } from '../vault/errors.js';
import type { TokenStore } from '../vault/types.js';
import { fileBackend, memoryBackend, postgresBackend, redisBackend, sqliteBackend, type Backend, type StoreSpec } from './test-support/backends.js';
import { incrementUnderLock } from './test-support/counter.js';

const backends: Backend[] = [memoryBackend(), fileBackend(), sqliteBackend(), postgresBackend(), redisBackend()];

const CHILD = fileURLToPath(new URL('./test-support/lockChild.ts', import.meta.url));

/** Starts lockChild.ts; resolves once it is ready. */
function startChild(spec: StoreSpec, iterations: number): Promise<ReadyChild> {
  return startReadyChild(CHILD, [JSON.stringify(spec), String(iterations)]);
}

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function lockError(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected a StoreError, got success');
}

describe.each(backends)('TokenStore conformance: $name', (backend) => {
  const opened: TokenStore[] = [];
  let counter = 0;
  /** A fresh namespace per test, so tests never see each other's data. */
  const ns = () => `n${(counter += 1)}_${randomBytes(3).toString('hex')}`;
  const open = async (namespace: string) => {
    const store = await backend.open(namespace);
    opened.push(store);
    return store;
  };

  beforeAll(() => backend.setup());
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    await backend.teardown();
  });

  it('answers null for a key that was never set', async () => {
    const store = await open(ns());
    expect(await store.get('missing')).toBeNull();
    expect(await store.keys()).toEqual([]);
  });

  it('round-trips set, get, keys and delete', async () => {
    const store = await open(ns());
    await store.set('alice', 'kt1.k1.AAAAAAAAAAAAAAAA.value-a');
    await store.set('bob', 'value-b');
    expect(await store.get('alice')).toBe('kt1.k1.AAAAAAAAAAAAAAAA.value-a');
    expect(await store.get('bob')).toBe('value-b');
    expect((await store.keys()).sort()).toEqual(['alice', 'bob']);
    await store.delete('alice');
    expect(await store.get('alice')).toBeNull();
    expect(await store.keys()).toEqual(['bob']);
  });

  it('treats deleting a missing key as done', async () => {
    const store = await open(ns());
    await store.delete('never-set');
    expect(await store.get('never-set')).toBeNull();
  });

  it('replaces a value on overwrite', async () => {
    const store = await open(ns());
    await store.set('alice', 'first');
    await store.set('alice', 'second');
    expect(await store.get('alice')).toBe('second');
    expect(await store.keys()).toEqual(['alice']);
  });

  it('keeps unusual keys and large values byte for byte', async () => {
    const store = await open(ns());
    const keys = ['user:42/../é 🗝', 'a.b*c?[d]', 'UPPER', 'upper', 'x'.repeat(120)];
    const big = randomBytes(24_000).toString('base64url');
    for (const key of keys) await store.set(key, `${key}=${big}`);
    for (const key of keys) expect(await store.get(key)).toBe(`${key}=${big}`);
    expect((await store.keys()).sort()).toEqual([...keys].sort());
  });

  it('refuses an empty or over-long key with ERR_STORE_INVALID_KEY', async () => {
    const store = await open(ns());
    expect((await lockError(store.set('', 'v'))).code).toBe('ERR_STORE_INVALID_KEY');
    expect((await lockError(store.get('x'.repeat(121)))).code).toBe('ERR_STORE_INVALID_KEY');
    expect((await lockError(store.delete('a\0b'))).code).toBe('ERR_STORE_INVALID_KEY');
    expect((await lockError(store.withLock('', async () => 1))).code).toBe('ERR_STORE_INVALID_KEY');
  });

  it('isolates two stores with different namespaces (prefix, table or folder)', async () => {
    const one = await open(ns());
    const two = await open(ns());
    await one.set('alice', 'from-one');
    expect(await two.get('alice')).toBeNull();
    expect(await two.keys()).toEqual([]);
    await two.set('alice', 'from-two');
    expect(await one.get('alice')).toBe('from-one');
    // A lock in one namespace does not block the same name in the other.
    const held = deferred();
    const holding = one.withLock('alice', () => held.promise);
    expect(await two.withLock('alice', async () => 'free', { waitMs: 200 })).toBe('free');
    held.resolve();
    await holding;
  });

  it('does not list lock names among keys', async () => {
    const store = await open(ns());
    await store.set('alice', 'v');
    await store.withLock('alice', async () => {
      await store.withLock('other-lock', async () => {
        expect(await store.keys()).toEqual(['alice']);
      });
    });
  });

  it('returns what fn returns', async () => {
    const store = await open(ns());
    expect(await store.withLock('k', async () => ({ answer: 42 }))).toEqual({ answer: 42 });
  });

  it('never interleaves 10 concurrent withLock calls that increment with an await inside', async () => {
    const namespace = ns();
    const stores = backend.shared ? [await open(namespace), await open(namespace)] : [await open(namespace)];
    let active = 0;
    let maxActive = 0;
    let shared = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (stores[i % stores.length] as TokenStore).withLock('counter', async () => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          const seen = shared;
          await sleep(3);
          shared = seen + 1;
          active -= 1;
        }),
      ),
    );
    expect(shared).toBe(10);
    expect(maxActive).toBe(1);
  });

  it('does not block locks of different names on each other', async () => {
    const store = await open(ns());
    const held = deferred();
    const holding = store.withLock('a', () => held.promise);
    expect(await store.withLock('b', async () => 'b ran', { waitMs: 200 })).toBe('b ran');
    held.resolve();
    await holding;
  });

  it('releases the lock when fn throws and passes the error on', async () => {
    const store = await open(ns());
    const boom = new Error('boom');
    await expect(store.withLock('k', async () => Promise.reject(boom))).rejects.toBe(boom);
    const started = Date.now();
    expect(await store.withLock('k', async () => 'again', { waitMs: 500 })).toBe('again');
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('gives up with ERR_LOCK_TIMEOUT after waitMs while another holder keeps the lock', async () => {
    const store = await open(ns());
    const held = deferred();
    const holding = store.withLock('k', () => held.promise);
    const started = Date.now();
    const error = await lockError(store.withLock('k', async () => 'never', { waitMs: 150 }));
    expect(error.code).toBe('ERR_LOCK_TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(1_500);
    held.resolve();
    await holding;
  });

  it('takes over a lock whose holder crashed once its ttl has passed', async () => {
    const namespace = ns();
    const crashed = await open(namespace);
    const survivor = backend.shared ? await open(namespace) : crashed;
    let acquired!: () => void;
    const holds = new Promise<void>((resolve) => (acquired = resolve));
    // A holder that never settles and never releases: as if its process died.
    void crashed.withLock('k', () => {
      acquired();
      return new Promise<never>(() => {});
    }, { ttlMs: 300 });
    await holds;
    const started = Date.now();
    expect(await survivor.withLock('k', async () => 'taken over', { waitMs: 5_000 })).toBe('taken over');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('does not let a holder that overran its ttl release the lock of the one that took over', async () => {
    const namespace = ns();
    const slow = await open(namespace);
    const other = backend.shared ? await open(namespace) : slow;
    const slowMayFinish = deferred();
    let slowHolds!: () => void;
    const slowHeld = new Promise<void>((resolve) => (slowHolds = resolve));
    const slowRun = slow.withLock('k', async () => {
      slowHolds();
      await slowMayFinish.promise;
    }, { ttlMs: 200 });
    await slowHeld;

    const successorMayFinish = deferred();
    let successorHolds!: () => void;
    const successorHeld = new Promise<void>((resolve) => (successorHolds = resolve));
    const successor = other.withLock('k', async () => {
      successorHolds();
      await successorMayFinish.promise;
    }, { ttlMs: 10_000, waitMs: 5_000 });
    await successorHeld;

    slowMayFinish.resolve();
    await slowRun; // its release must leave the successor's lock alone
    const error = await lockError(other.withLock('k', async () => 'should wait', { waitMs: 150 }));
    expect(error.code).toBe('ERR_LOCK_TIMEOUT');
    successorMayFinish.resolve();
    await successor;
  });

  it.runIf(backend.shared)('shares values between two instances on one backend', async () => {
    const namespace = ns();
    const one = await open(namespace);
    const two = await open(namespace);
    await one.set('alice', 'written by one');
    expect(await two.get('alice')).toBe('written by one');
    await two.delete('alice');
    expect(await one.get('alice')).toBeNull();
  });

  it.runIf(backend.shared)('excludes a separate node process holding the same lock (no lost updates)', async () => {
    const namespace = ns();
    const spec = backend.spec(namespace) as StoreSpec;
    const store = await open(namespace);
    const child = await startChild(spec, 25);
    child.go();
    await incrementUnderLock(store, 'counter', 25);
    await child.done;
    expect(await store.get('counter')).toBe('50');
  });
});
