/**
 * 503 with Retry-After when a backing service is away (issue 9, finding 6): the server talks to
 * Redis or PostgreSQL through a TCP proxy that the test cuts and restores. While cut, sign-in and
 * the token endpoint answer 503 (RFC 6749 `temporarily_unavailable` on API paths, a page on the
 * form) within a few seconds, with no stack and no "Unhandled error event" from ioredis; after the
 * restore they work again. Regression: Redis going away answered 500 at sign-in.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Browser } from '../test-support/browser.js';
import { aClient, credentials, type TestClient } from '../test-support/clients.js';
import { createTestPostgresDatabase, TEST_PG_ADMIN_URL } from '../test-support/databases.js';
import type { Answer } from '../test-support/http.js';
import { refresh, signInTokens, type TokenAnswer } from '../test-support/oauth.js';
import { aPerson, type Person } from '../test-support/people.js';
import { openRedisSandbox, TEST_REDIS_URL, type RedisSandbox } from '../test-support/redis.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { openTcpProxy, type TcpProxy } from '../test-support/tcpProxy.js';

/** How fast an answer must come while the service is away: a few seconds, not a hang. */
const FAST_MS = 4_000;
/** How long a restored service may take to be used again (Redis reconnects at most a second apart). */
const BACK_WITHIN_MS = 5_000;

function expectUnavailable(status: number, retryAfter: string | null | undefined, ms: number): void {
  expect(status).toBe(503);
  expect(Number(retryAfter)).toBeGreaterThan(0);
  expect(ms).toBeLessThan(FAST_MS);
}

/** Calls `attempt` until `done` says so (bounded), checking that every answer meanwhile is `allowed`. */
async function until<T>(attempt: () => Promise<T>, done: (a: T) => boolean, allowed: (a: T) => boolean): Promise<T> {
  const deadline = Date.now() + BACK_WITHIN_MS;
  for (;;) {
    const answer = await attempt();
    if (done(answer) || Date.now() > deadline) return answer;
    expect(allowed(answer), 'an answer while the service came back').toBe(true);
    await sleep(200);
  }
}

describe('Redis goes away', () => {
  let proxy: TcpProxy;
  let r: RedisSandbox;
  let s: TestServer;
  let ada: Person;
  let app: TestClient;
  const consoleError = vi.spyOn(console, 'error');

  beforeAll(async () => {
    r = await openRedisSandbox();
    proxy = await openTcpProxy(new URL(TEST_REDIS_URL).host);
    s = await startTestServer({ config: { redisUrl: proxy.via(TEST_REDIS_URL), redisPrefix: r.prefix } });
    ada = await aPerson(s);
    app = await aClient(s);
  });
  afterAll(async () => {
    consoleError.mockRestore();
    await s?.close();
    await proxy?.close();
    await r?.drop();
  });

  it('answers sign-in 503 with Retry-After (a page, no stack) and the token endpoint temporarily_unavailable while cut, and works again once restored', async () => {
    const browser = new Browser(s);
    expect((await browser.signIn(ada.email, ada.password)).status).toBe(303);
    const tokens = await signInTokens(s, await ada.signIn(), app);

    await proxy.cut();
    const signIn: Answer = await new Browser(s).signIn(ada.email, ada.password);
    expectUnavailable(signIn.status, signIn.headers['retry-after'], signIn.ms);
    expect(signIn.headers['content-type']).toMatch(/^text\/html/);
    expect(signIn.body).not.toMatch(/\n\s+at |ioredis|Connection is closed/);

    // A wrong secret is counted in Redis before it is checked.
    const started = performance.now();
    const refused = await refresh(s, credentials(app.id, 'not-the-secret-0123456789'), tokens.refresh_token);
    expectUnavailable(refused.status, refused.headers.get('retry-after'), performance.now() - started);
    expect(refused.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.stringMatching(/redis is unavailable/) });
    expect(consoleError.mock.calls.flat().join(' ')).not.toMatch(/Unhandled error event/);

    await proxy.restore();
    const back = await until(() => new Browser(s).signIn(ada.email, ada.password), (a) => a.status === 303, (a) => a.status === 503);
    expect(back.status).toBe(303);
    expect((await refresh(s, app, tokens.refresh_token)).status).toBe(200);
  });
});

describe('PostgreSQL goes away', () => {
  let proxy: TcpProxy;
  let db: Awaited<ReturnType<typeof createTestPostgresDatabase>>;
  let s: TestServer;
  let ada: Person;
  let app: TestClient;

  beforeAll(async () => {
    db = await createTestPostgresDatabase();
    proxy = await openTcpProxy(new URL(TEST_PG_ADMIN_URL).host);
    s = await startTestServer({ config: { database: proxy.via(db.url) } });
    ada = await aPerson(s);
    app = await aClient(s, { policy: 'rotate' });
  });
  afterAll(async () => {
    await s?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('answers the token endpoint 503 temporarily_unavailable with Retry-After while cut, and the same refresh token works once restored', async () => {
    const tokens = await signInTokens(s, await ada.signIn(), app);

    await proxy.cut();
    const started = performance.now();
    const refused = await refresh(s, app, tokens.refresh_token);
    expectUnavailable(refused.status, refused.headers.get('retry-after'), performance.now() - started);
    expect(refused.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.stringMatching(/database is unavailable/) });
    const signIn = await new Browser(s).signIn(ada.email, ada.password);
    expectUnavailable(signIn.status, signIn.headers['retry-after'], signIn.ms);
    expect(signIn.body).not.toMatch(/\n\s+at |ECONNREFUSED|pg-pool/);

    await proxy.restore();
    // Nothing was spent while cut: the rotating token the client holds still refreshes.
    const back = await until(() => refresh(s, app, tokens.refresh_token), (a: TokenAnswer) => a.status === 200, (a: TokenAnswer) => a.status === 503);
    expect(back.status).toBe(200);
    expect(back.body.refresh_token).not.toBe(tokens.refresh_token);
  });
});
