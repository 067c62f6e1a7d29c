/**
 * `keyturn serve` that cannot start says why and exits, for real (the built command): a Redis
 * or PostgreSQL that is unreachable or misconfigured, a port in use. Within 10 s, exit 1, the
 * driver's reason, no stack trace and no password.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV, freePort, keyturn, type Run } from '../test-support/cli.js';
import { TEST_PG_ADMIN_URL } from '../test-support/databases.js';

const root = mkdtempSync(path.join(tmpdir(), 'keyturn-fail-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const store = () => ['--data-dir', mkdtempSync(path.join(root, 'data-'))];

/** Runs `keyturn serve …` and measures how long it took to give up. */
async function serve(args: string[]): Promise<Run & { ms: number }> {
  const started = performance.now();
  const run = await keyturn(['serve', '--port', String(await freePort()), ...args], { env: { ...ENV, KEYTURN_LOG_LEVEL: 'info' } });
  return { ...run, ms: performance.now() - started };
}

/** Exit 1 within 10 s, one line naming `reason`, no stack trace. */
function expectCleanFailure(run: Run & { ms: number }, reason: string | RegExp) {
  expect(run.code).toBe(1);
  expect(run.ms).toBeLessThan(10_000);
  expect(run.stderr).toMatch(reason);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toContain('Unhandled error event');
}

/**
 * A server that speaks just enough of PostgreSQL's protocol to refuse the password, as a
 * PostgreSQL with md5/scram authentication does (the test cluster trusts everyone).
 */
async function refusingPostgres(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.once('data', () => {
      const fields = Buffer.from('SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "keyturn"\0\0', 'utf8');
      const head = Buffer.alloc(5);
      head.write('E', 0);
      head.writeInt32BE(fields.length + 4, 1);
      socket.end(Buffer.concat([head, fields]));
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('keyturn serve that cannot start', () => {
  it('exits 1 within 10 s on a Redis that refuses connections, naming ECONNREFUSED and the address (regression: it never exited and printed ioredis stack traces)', async () => {
    const run = await serve(['--redis', 'redis://127.0.0.1:1', ...store()]);
    expectCleanFailure(run, /could not connect to Redis at redis:\/\/127\.0\.0\.1:1 \(ECONNREFUSED 127\.0\.0\.1:1\): check --redis/);
  }, 20_000);

  it('exits 1 on a PostgreSQL database that does not exist, with the server\'s own words', async () => {
    const url = new URL(TEST_PG_ADMIN_URL);
    const name = `keyturn_missing_${randomBytes(4).toString('hex')}`;
    url.pathname = `/${name}`;
    const run = await serve(['--database', url.toString(), ...store()]);
    expectCleanFailure(run, `database "${name}" does not exist`);
  }, 20_000);

  it('exits 1 on a PostgreSQL that refuses the password, and never prints the password', async () => {
    const pg = await refusingPostgres();
    try {
      const run = await serve(['--database', `postgres://keyturn:Sup3rSecret@127.0.0.1:${pg.port}/keyturn`, ...store()]);
      expectCleanFailure(run, 'password authentication failed for user "keyturn"');
      expect(run.stderr).not.toContain('Sup3rSecret');
      expect(run.stderr).toContain(`postgres://keyturn:***@127.0.0.1:${pg.port}/keyturn`);
    } finally {
      await pg.close();
    }
  }, 20_000);

  it('exits 1 on a PostgreSQL port nobody listens on, naming ECONNREFUSED', async () => {
    const run = await serve(['--database', 'postgres://postgres@127.0.0.1:1/keyturn', ...store()]);
    expectCleanFailure(run, /\(ECONNREFUSED 127\.0\.0\.1:1\): check --database/);
  }, 20_000);

  it('suggests --port when the port is in use, and --metrics-port when that one is', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const onPort = await keyturn(['serve', '--port', String(port), ...store()], { env: { ...ENV, KEYTURN_LOG_LEVEL: 'silent' } });
      expect(onPort.code).toBe(1);
      expect(onPort.stderr).toBe(`keyturn: 127.0.0.1:${port} is already in use (EADDRINUSE): stop what listens there, or choose another port with --port (env KEYTURN_PORT)\n`);
      const onMetrics = await keyturn(['serve', '--port', String(await freePort()), '--metrics-port', String(port), ...store()], { env: { ...ENV, KEYTURN_LOG_LEVEL: 'silent' } });
      expect(onMetrics.code).toBe(1);
      expect(onMetrics.stderr).toContain('--metrics-port (env KEYTURN_METRICS_PORT)');
    } finally {
      taken.close();
    }
  }, 30_000);

  it('refuses a bad --metrics-port or --log-format as a usage error', async () => {
    expect(await keyturn(['serve', '--metrics-port', 'lots', ...store()])).toMatchObject({ code: 2, stderr: expect.stringContaining('--metrics-port (KEYTURN_METRICS_PORT) must be a whole number from 0 to 65535, not "lots"') });
    expect(await keyturn(['serve', '--log-format', 'xml', ...store()])).toMatchObject({ code: 2, stderr: expect.stringContaining('must be json or pretty, not "xml"') });
  });
});
