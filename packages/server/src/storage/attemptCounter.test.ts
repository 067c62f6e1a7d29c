/**
 * Conformance of `AttemptCounter`: the same cases on the in-memory counter (with a clock of
 * its own) and on the Redis one (the real Redis, a prefix per test, real time with short windows).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRedisSandbox } from '../test-support/redis.js';
import type { AttemptCounter } from './attemptCounter.js';
import { createMemoryAttemptCounter } from './attempts/memory.js';
import { createRedisAttemptCounter } from './attempts/redis.js';

/** A counter under test, and how time passes for it. */
interface CounterUnderTest {
  counter: AttemptCounter;
  advance(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

const backends: Array<[string, () => Promise<CounterUnderTest>]> = [
  [
    'memory',
    async () => {
      let now = 1_760_000_000_000;
      const counter = createMemoryAttemptCounter(100_000, () => now);
      return {
        counter,
        advance: async (ms) => {
          now += ms;
        },
        dispose: () => counter.close(),
      };
    },
  ],
  [
    'redis',
    async () => {
      const sandbox = await openRedisSandbox();
      const counter = await createRedisAttemptCounter(sandbox.url, sandbox.prefix);
      return {
        counter,
        advance: (ms) => sleep(ms),
        async dispose() {
          await counter.close();
          await sandbox.drop();
        },
      };
    },
  ],
];

// Short enough for Redis to expire in real time; long enough that a slow machine stays inside it.
const WINDOW_MS = 300;

describe.each(backends)('AttemptCounter (%s)', (_name, open) => {
  let t: CounterUnderTest;
  beforeEach(async () => {
    t = await open();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('counts hits under a key and answers the running count, keeping keys apart', async () => {
    expect(await t.counter.hit('ada', WINDOW_MS)).toBe(1);
    expect(await t.counter.hit('ada', WINDOW_MS)).toBe(2);
    expect(await t.counter.hit('ada', WINDOW_MS)).toBe(3);
    expect(await t.counter.hit('bob', WINDOW_MS)).toBe(1);
    expect(await t.counter.peek('ada')).toBe(3);
    expect(await t.counter.peek('bob')).toBe(1);
  });

  it('peeks without adding, and answers 0 for a key never hit', async () => {
    expect(await t.counter.peek('ada')).toBe(0);
    expect(await t.counter.peek('ada')).toBe(0);
    await t.counter.hit('ada', WINDOW_MS);
    expect(await t.counter.peek('ada')).toBe(1);
    expect(await t.counter.peek('ada')).toBe(1);
  });

  it('takes back one hit per undo and never goes below zero', async () => {
    await t.counter.hit('ada', WINDOW_MS);
    await t.counter.hit('ada', WINDOW_MS);
    await t.counter.undo('ada');
    expect(await t.counter.peek('ada')).toBe(1);
    await t.counter.undo('ada');
    await t.counter.undo('ada');
    expect(await t.counter.peek('ada')).toBe(0);
    await t.counter.undo('never-hit');
    expect(await t.counter.peek('never-hit')).toBe(0);
    expect(await t.counter.hit('ada', WINDOW_MS)).toBe(1);
  });

  it('forgets a key on reset and starts it again from one', async () => {
    await t.counter.hit('ada', WINDOW_MS);
    await t.counter.hit('ada', WINDOW_MS);
    await t.counter.hit('bob', WINDOW_MS);
    await t.counter.reset('ada');
    expect(await t.counter.peek('ada')).toBe(0);
    expect(await t.counter.peek('bob')).toBe(1);
    expect(await t.counter.hit('ada', WINDOW_MS)).toBe(1);
  });

  it('ends the window from the first hit: later hits do not extend it', async () => {
    await t.counter.hit('ada', WINDOW_MS);
    await t.advance(WINDOW_MS / 3);
    expect(await t.counter.hit('ada', WINDOW_MS)).toBe(2);
    await t.advance(WINDOW_MS);
    expect(await t.counter.peek('ada')).toBe(0);
    expect(await t.counter.hit('ada', WINDOW_MS)).toBe(1);
  });

  it('does not bring an expired key back on undo', async () => {
    await t.counter.hit('ada', WINDOW_MS);
    await t.advance(WINDOW_MS + 50);
    await t.counter.undo('ada');
    expect(await t.counter.peek('ada')).toBe(0);
    expect(await t.counter.hit('ada', WINDOW_MS)).toBe(1);
  });
});

describe('the in-memory AttemptCounter', () => {
  it('keeps at most maxKeys keys, dropping the oldest first', async () => {
    const counter = createMemoryAttemptCounter(2, () => 0);
    await counter.hit('first', 1_000);
    await counter.hit('second', 1_000);
    await counter.hit('second', 1_000);
    await counter.hit('third', 1_000);
    expect(await counter.peek('first')).toBe(0);
    expect(await counter.peek('second')).toBe(2);
    expect(await counter.peek('third')).toBe(1);
  });
});

describe('the Redis AttemptCounter', () => {
  it('keeps its keys under its prefix, each with the window as its expiry, and creates none on undo', async () => {
    const sandbox = await openRedisSandbox();
    const counter = await createRedisAttemptCounter(sandbox.url, sandbox.prefix);
    try {
      await counter.hit('ada', 60_000);
      await counter.undo('never-hit');
      expect(await sandbox.redis.keys(`${sandbox.prefix}*`)).toEqual([`${sandbox.prefix}ada`]);
      const ttl = await sandbox.redis.pttl(`${sandbox.prefix}ada`);
      expect(ttl).toBeGreaterThan(55_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    } finally {
      await counter.close();
      await sandbox.drop();
    }
  });

  it('refuses to answer a count it could not make (an INCR error, a closed connection), never letting the attempt through as 0', async () => {
    const sandbox = await openRedisSandbox();
    const counter = await createRedisAttemptCounter(sandbox.url, sandbox.prefix);
    try {
      await sandbox.redis.set(`${sandbox.prefix}ada`, 'not-a-number');
      await expect(counter.hit('ada', 60_000)).rejects.toMatchObject({ name: 'ServiceUnavailableError', code: 'ERR_UNAVAILABLE', service: 'redis' });
      await expect(counter.peek('ada')).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE', service: 'redis' });
      await counter.close();
      await expect(counter.hit('bob', 60_000)).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE', service: 'redis' });
    } finally {
      await sandbox.drop();
    }
  });
});
