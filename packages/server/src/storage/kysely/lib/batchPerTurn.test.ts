/** `batchPerTurn`: the calls of one event-loop turn reach `run` together, each gets its own output or error. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { batchPerTurn } from './batchPerTurn.js';

/** A batched doubler that records the batches it was given. */
function doubler() {
  const batches: number[][] = [];
  const double = batchPerTurn(async (inputs: number[]) => {
    batches.push(inputs);
    return inputs.map((n) => n * 2);
  });
  return { batches, double };
}

describe('batchPerTurn', () => {
  it('runs the calls of one turn as one batch, each answered with its own output in order', async () => {
    const { batches, double } = doubler();
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('runs calls of different turns as different batches', async () => {
    const { batches, double } = doubler();
    const first = double(1);
    await nextTurn();
    const second = double(2);
    expect([await first, await second]).toEqual([2, 4]);
    expect(batches).toEqual([[1], [2]]);
  });

  it('splits a turn of more than 100 calls into batches of at most 100', async () => {
    const { batches, double } = doubler();
    const inputs = Array.from({ length: 250 }, (_, i) => i);
    expect(await Promise.all(inputs.map(double))).toEqual(inputs.map((n) => n * 2));
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
  });

  it('fails every call of a batch whose run fails, and the next turn starts afresh', async () => {
    let fail = true;
    const find = batchPerTurn(async (inputs: string[]) => {
      if (fail) throw new Error('database down');
      return inputs;
    });
    const results = await Promise.allSettled([find('a'), find('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ message: 'database down' });
    fail = false;
    expect(await find('c')).toBe('c');
  });

  it('fails the calls of a batch whose run throws before returning a promise, and keeps running', async () => {
    const find = batchPerTurn((inputs: string[]): Promise<string[]> => {
      if (inputs.includes('bad')) throw new Error('thrown at once');
      return Promise.resolve(inputs);
    });
    await expect(Promise.all([find('a'), find('bad')])).rejects.toThrow('thrown at once');
    expect(await find('c')).toBe('c');
  });

  it("settles a call answered with a promise by that promise alone: one call's error is its own", async () => {
    const check = batchPerTurn(async (inputs: number[]) => inputs.map((n) => (n < 0 ? Promise.reject(new Error(`negative: ${n}`)) : n)));
    const results = await Promise.allSettled([check(1), check(-1), check(2)]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: expect.objectContaining({ message: 'negative: -1' }) },
      { status: 'fulfilled', value: 2 },
    ]);
  });

  it('fails the batch when run answers a different number of outputs than it was given', async () => {
    const broken = batchPerTurn(async (inputs: number[]) => inputs.slice(1));
    await expect(Promise.all([broken(1), broken(2)])).rejects.toThrow('a batch of 2 answered 1 outputs');
  });
});
