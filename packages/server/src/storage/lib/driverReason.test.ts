/** Telling "the service is down" from other driver errors, and the reason an operator reads. */
import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../errors.js';
import { driverReason } from './driverReason.js';
import { guardUnavailable } from './guardUnavailable.js';
import { isUnavailable } from './isUnavailable.js';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 1 });

describe('unavailability', () => {
  it('recognises refused and broken connections, PostgreSQL shutdowns and pg\'s own words', () => {
    expect(isUnavailable(refused)).toBe(true);
    expect(isUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isUnavailable(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnavailable(new AggregateError([refused], ''))).toBe(true);
  });

  it('leaves other errors alone: a constraint, a missing table, a bad value', () => {
    expect(isUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isUnavailable(Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }))).toBe(false);
    expect(isUnavailable(new TypeError('bad'))).toBe(false);
  });

  it('gives the system code with the address, or the server\'s first line', () => {
    expect(driverReason(refused)).toBe('ECONNREFUSED 127.0.0.1:1');
    expect(driverReason(new AggregateError([refused], ''))).toBe('ECONNREFUSED 127.0.0.1:1');
    expect(driverReason(Object.assign(new Error('database "x" does not exist\nDETAIL'), { code: '3D000' }))).toBe('database "x" does not exist');
  });

  it('turns a wrapped method\'s unavailability into ServiceUnavailableError and passes other errors through', async () => {
    const guarded = guardUnavailable(
      {
        kind: 'postgres' as const,
        down: async () => Promise.reject(refused),
        wrong: async () => Promise.reject(new RangeError('no')),
        fine: async (n: number) => n + 1,
      },
      'database',
    );
    expect(guarded.kind).toBe('postgres');
    await expect(guarded.fine(1)).resolves.toBe(2);
    await expect(guarded.wrong()).rejects.toBeInstanceOf(RangeError);
    await expect(guarded.down()).rejects.toMatchObject({ name: 'ServiceUnavailableError', code: 'ERR_UNAVAILABLE', service: 'database', reason: 'ECONNREFUSED 127.0.0.1:1' });
    await expect(guarded.down()).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
