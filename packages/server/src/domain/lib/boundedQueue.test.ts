/** The bounded queue of argon2 work: a cap on tasks at once, a cap on waiting ones, refusal past it. */
import { describe, expect, it } from 'vitest';
import { gate } from '../../test-support/gate.js';
import { BoundedQueue, QueueFullError } from './boundedQueue.js';

describe('BoundedQueue', () => {
  it('runs at most `concurrency` tasks at once, and the waiting ones in the order they came', async () => {
    const queue = new BoundedQueue(2, 10);
    const gates = [gate('a'), gate('b'), gate('c'), gate('d')];
    const results = gates.map((g) => queue.run(g.task));
    await Promise.resolve();
    expect(gates.map((g) => g.started)).toEqual([true, true, false, false]);
    expect([queue.running, queue.waiting]).toEqual([2, 2]);
    gates[1]!.open();
    expect(await results[1]).toBe('b');
    expect(gates.map((g) => g.started)).toEqual([true, true, true, false]);
    gates[0]!.open();
    gates[2]!.open();
    expect(await Promise.all(results.slice(0, 3))).toEqual(['a', 'b', 'c']);
    expect(gates[3]!.started).toBe(true);
    gates[3]!.open();
    expect(await results[3]).toBe('d');
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });

  it('refuses at once with QueueFullError when `maxWaiting` tasks wait, and takes tasks again once there is room', async () => {
    const queue = new BoundedQueue(1, 2);
    const gates = [gate(1), gate(2), gate(3)];
    const results = gates.map((g) => queue.run(g.task));
    const refused = gate(4);
    await expect(queue.run(refused.task)).rejects.toBeInstanceOf(QueueFullError);
    expect(refused.started).toBe(false);
    gates[0]!.open();
    await results[0];
    const later = gate(5);
    const fifth = queue.run(later.task);
    gates[1]!.open();
    gates[2]!.open();
    later.open();
    expect(await Promise.all([...results, fifth])).toEqual([1, 2, 3, 5]);
  });

  it('frees the turn of a task that fails, and passes its error on', async () => {
    const queue = new BoundedQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('argon2 failed')))).rejects.toThrow('argon2 failed');
    expect(await queue.run(async () => 'next')).toBe('next');
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });
});
