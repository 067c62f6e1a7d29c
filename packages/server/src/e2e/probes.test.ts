/**
 * The probes, for real: `/healthz` and `/readyz` answer JSON; with the database (PostgreSQL) or
 * Redis behind a TCP proxy that the test cuts, `/readyz` turns 503 naming the part that failed,
 * requests answer 503 + Retry-After in bounded time, and everything comes back by itself once
 * the proxy is restored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aClient } from '../test-support/clients.js';
import { createTestPostgresDatabase } from '../test-support/databases.js';
import { refresh, signInTokens } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { openRedisSandbox } from '../test-support/redis.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { openTcpProxy, type TcpProxy } from '../test-support/tcpProxy.js';

async function probe(s: TestServer, path: '/healthz' | '/readyz'): Promise<{ status: number; body: unknown; ms: number }> {
  const started = performance.now();
  const res = await fetch(s.url + path);
  return { status: res.status, body: await res.json(), ms: performance.now() - started };
}

/** Polls /readyz until it answers `status` (bounded), returning the last answer. */
async function readyzUntil(s: TestServer, status: number, timeoutMs = 15_000): Promise<{ status: number; body: unknown }> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe(s, '/readyz');
  while (last.status !== status && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    last = await probe(s, '/readyz');
  }
  return last;
}

describe('the probes of a healthy server (SQLite)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({});
  });
  afterAll(async () => {
    await s?.close();
  });

  it('answers /healthz with {"status":"ok"} and no-store', async () => {
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 with every check ok, and no Redis check when none is configured', async () => {
    expect(await probe(s, '/readyz')).toMatchObject({ status: 200, body: { status: 'ok', checks: { database: 'ok', keys: 'ok' } } });
    expect(Object.keys(((await probe(s, '/readyz')).body as { checks: object }).checks)).toEqual(['database', 'keys']);
  });

  it('is never rate limited: 200 probes in a row all answer', async () => {
    const statuses = await Promise.all(Array.from({ length: 200 }, () => fetch(`${s.url}/healthz`).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});

/**
 * A test server whose PostgreSQL database or Redis is reached through a TCP proxy of the
 * test's own, for the tests of one `describe` block.
 */
function useServerThroughProxy(service: 'database' | 'redis'): { readonly s: TestServer; readonly proxy: TcpProxy } {
  const f: { s?: TestServer; proxy?: TcpProxy; backing?: { drop(): Promise<void> } } = {};
  beforeAll(async () => {
    const backing = service === 'database' ? await createTestPostgresDatabase() : await openRedisSandbox();
    f.backing = backing;
    const target = new URL(backing.url);
    const proxy = await openTcpProxy(`${target.hostname}:${target.port || (service === 'database' ? 5432 : 6379)}`);
    f.proxy = proxy;
    const through = proxy.via(backing.url);
    f.s = await startTestServer({ config: 'prefix' in backing ? { redisUrl: through, redisPrefix: backing.prefix } : { database: through, gcIntervalSec: 0 } });
  }, 60_000);
  afterAll(async () => {
    // A test that failed while cut leaves it cut: restore, so the server can close.
    await f.proxy?.restore().catch(() => undefined);
    await f.s?.close();
    await f.proxy?.close();
    await f.backing?.drop();
  });
  return f as { readonly s: TestServer; readonly proxy: TcpProxy };
}

describe('PostgreSQL cut and restored through a TCP proxy', () => {
  const f = useServerThroughProxy('database');

  it('flips /readyz to 503 naming the database while cut, answers 503 + Retry-After JSON at the token endpoint, and recovers once restored', async () => {
    const { s, proxy } = f;
    const app = await aClient(s);
    const ada = await aPerson(s);
    const npsso = await ada.signIn();
    const tokens = await signInTokens(s, npsso, app);
    expect(await probe(s, '/readyz')).toMatchObject({ status: 200, body: { status: 'ok', checks: { database: 'ok', keys: 'ok' } } });

    await proxy.cut();
    const down = await readyzUntil(s, 503);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'fail', checks: { database: expect.stringMatching(/^fail: /), keys: 'ok' } });
    // /healthz does no I/O: the process is up.
    expect(await probe(s, '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });

    const started = performance.now();
    const refused = await refresh(s, app, tokens.refresh_token);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: 'temporarily_unavailable' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // A page that needs the database answers 503 too, never a 500.
    const home = await fetch(`${s.url}/`, { headers: { cookie: `npsso=${npsso}` } });
    expect(home.status).toBe(503);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);

    await proxy.restore();
    expect(await readyzUntil(s, 200)).toMatchObject({ status: 200, body: { status: 'ok', checks: { database: 'ok', keys: 'ok' } } });
    const again = await refresh(s, app, tokens.refresh_token);
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).toBe(tokens.refresh_token);
  }, 60_000);
});

describe('Redis cut and restored through a TCP proxy', () => {
  const f = useServerThroughProxy('redis');

  it('flips /readyz to 503 naming Redis while cut and back to 200 once restored', async () => {
    const { s, proxy } = f;
    expect(await probe(s, '/readyz')).toMatchObject({ status: 200, body: { status: 'ok', checks: { database: 'ok', keys: 'ok', redis: 'ok' } } });
    await proxy.cut();
    const down = await readyzUntil(s, 503);
    expect(down).toMatchObject({ status: 503, body: { status: 'fail', checks: { database: 'ok', keys: 'ok', redis: expect.stringMatching(/^fail: /) } } });
    await proxy.restore();
    expect(await readyzUntil(s, 200)).toMatchObject({ status: 200, body: { status: 'ok', checks: { redis: 'ok' } } });
  }, 60_000);

  it('bounds /readyz in time while Redis is cut', async () => {
    const { s, proxy } = f;
    await proxy.cut();
    try {
      const answer = await probe(s, '/readyz');
      expect(answer.status).toBe(503);
      expect(answer.ms).toBeLessThan(5_000);
    } finally {
      await proxy.restore();
      await readyzUntil(s, 200);
    }
  }, 30_000);
});
