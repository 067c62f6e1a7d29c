/**
 * Storage reports a backing service that cannot answer as `ServiceUnavailableError` (code
 * ERR_UNAVAILABLE, naming the service), from the real drivers: SQLite locked by another
 * connection past busy_timeout, PostgreSQL and Redis behind a cut TCP proxy, and nothing else
 * (a duplicate stays a duplicate). The HTTP layer answers it 503 with Retry-After.
 */
import BetterSqlite3 from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestPostgresDatabase, createTestSqlitePath, TEST_PG_ADMIN_URL } from '../test-support/databases.js';
import { openRedisSandbox, TEST_REDIS_URL } from '../test-support/redis.js';
import { openTcpProxy, type TcpProxy } from '../test-support/tcpProxy.js';
import { createRedisAttemptCounter } from './attempts/redis.js';
import { DuplicateError, ServiceUnavailableError } from './errors.js';
import { isUnavailable } from './lib/isUnavailable.js';
import { openRepository } from './open.js';
import { user } from './test-support/records.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function proxied(target: string): Promise<TcpProxy> {
  const proxy = await openTcpProxy(target);
  cleanups.push(() => proxy.close());
  return proxy;
}

describe('ServiceUnavailableError from the real drivers', () => {
  it('is what SQLite answers while another connection holds the write lock past busy_timeout, and the write goes through once it is let go', async () => {
    const file = createTestSqlitePath();
    cleanups.push(() => file.cleanup());
    const repo = await openRepository(file.path);
    cleanups.push(() => repo.close());
    const other = new BetterSqlite3(file.path);
    cleanups.push(() => other.close());
    other.exec('BEGIN EXCLUSIVE');
    const error = await repo.createUser(user({ id: 'u1', email: 'ada@example.com' })).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ code: 'ERR_UNAVAILABLE', service: 'database', message: 'the database is unavailable' });
    other.exec('COMMIT');
    await repo.createUser(user({ id: 'u1', email: 'ada@example.com' }));
    // A refusal that is the caller's, not the service's, keeps its own error.
    await expect(repo.createUser(user({ id: 'u1', email: 'ada@example.com' }))).rejects.toBeInstanceOf(DuplicateError);
  }, 20_000);

  it('is what PostgreSQL answers while the connection is cut (pooled connections dropped, new ones refused), and the same repository works once restored', async () => {
    const db = await createTestPostgresDatabase();
    cleanups.push(() => db.drop());
    const proxy = await proxied(new URL(TEST_PG_ADMIN_URL).host);
    const repo = await openRepository(proxy.via(db.url));
    cleanups.push(() => repo.close());
    await repo.createUser(user({ id: 'u1', email: 'ada@example.com' }));

    await proxy.cut();
    for (let i = 0; i < 2; i++) {
      await expect(repo.findUserById('u1')).rejects.toMatchObject({ name: 'ServiceUnavailableError', code: 'ERR_UNAVAILABLE', service: 'database' });
    }
    await proxy.restore();
    expect(await repo.findUserById('u1')).toMatchObject({ email: 'ada@example.com' });
    await expect(repo.createUser(user({ id: 'u1', email: 'ada@example.com' }))).rejects.toBeInstanceOf(DuplicateError);
  });

  it('is what the Redis attempt counter answers within two seconds while Redis is cut, and it counts again once restored', async () => {
    const sandbox = await openRedisSandbox();
    cleanups.push(() => sandbox.drop());
    const proxy = await proxied(new URL(TEST_REDIS_URL).host);
    const counter = await createRedisAttemptCounter(proxy.via(TEST_REDIS_URL), sandbox.prefix);
    cleanups.push(() => counter.close());
    expect(await counter.hit('ada', 60_000)).toBe(1);

    await proxy.cut();
    const started = performance.now();
    await expect(counter.hit('ada', 60_000)).rejects.toMatchObject({ name: 'ServiceUnavailableError', code: 'ERR_UNAVAILABLE', service: 'redis' });
    await expect(counter.peek('ada')).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(performance.now() - started).toBeLessThan(2_000);

    await proxy.restore();
    const deadline = Date.now() + 5_000;
    let count: number | undefined;
    while (count === undefined && Date.now() < deadline) {
      count = await counter.hit('ada', 60_000).catch(() => sleep(200).then(() => undefined));
    }
    expect(count).toBe(2);
  });
});

describe('isUnavailable', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  it.each([
    ['connection refused', withCode('ECONNREFUSED')],
    ['connection reset', withCode('ECONNRESET')],
    ['PostgreSQL shut down by an administrator (57P01)', withCode('57P01')],
    ['PostgreSQL too many connections (53300)', withCode('53300')],
    ['PostgreSQL connection failure (08006)', withCode('08006')],
    ['SQLite busy', withCode('SQLITE_BUSY')],
    ['SQLite busy in recovery', withCode('SQLITE_BUSY_RECOVERY')],
    ['SQLite locked', withCode('SQLITE_LOCKED')],
    ['pg: Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['pg-pool: connect timeout', new Error('timeout exceeded when trying to connect')],
    ['ioredis: Connection is closed.', new Error('Connection is closed.')],
    ['ioredis: offline queue off', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['ioredis: MaxRetriesPerRequestError', Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' })],
    ['a transaction aborted by such an error', Object.assign(new Error('EXECABORT'), { previousErrors: [new Error('Connection is closed.')] })],
    ['one wrapped as the cause', new Error('query failed', { cause: withCode('ECONNREFUSED') })],
  ])('says yes to %s', (_name, err) => {
    expect(isUnavailable(err)).toBe(true);
  });
  it.each([
    ['a unique violation (23505)', withCode('23505')],
    ['a serialization failure (40001)', withCode('40001')],
    ['a SQLite constraint', withCode('SQLITE_CONSTRAINT_UNIQUE')],
    ['a type error', new TypeError('Cannot read properties of undefined')],
    ['a string', 'ECONNREFUSED'],
    ['undefined', undefined],
  ])('says no to %s', (_name, err) => {
    expect(isUnavailable(err)).toBe(false);
  });
});
