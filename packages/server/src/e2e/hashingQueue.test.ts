/**
 * The bounded argon2 queue seen from outside: when it is full, sign-in and client
 * authentication answer 503 with Retry-After instead of queueing without end, and a flood of
 * wrong client secrets from many addresses does not hold up refreshes whose secret is verified.
 */
import { describe, expect, it } from 'vitest';
import { Browser } from '../test-support/browser.js';
import { aClient, basic } from '../test-support/clients.js';
import { gate } from '../test-support/gate.js';
import { FORM, raw } from '../test-support/http.js';
import { refresh, signInTokens } from '../test-support/oauth.js';
import { endpoint } from '../test-support/paths.js';
import { aPerson, PASSWORD } from '../test-support/people.js';
import { useServer, type TestServer } from '../test-support/server.js';

const QUEUE = 4;
const LANES = 24;

/** Wrong client secrets from a new address each (via the trusted proxy) on `LANES` connections until `until` resolves. */
async function flood(s: TestServer, clientId: string, until: Promise<unknown>): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let running = true;
  void until.finally(() => (running = false));
  let n = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (running) {
        const i = n++;
        const res = await raw(endpoint(s, 'token'), {
          method: 'POST',
          headers: { ...FORM, authorization: basic(clientId, `guess-${i}-0123456789`), 'x-forwarded-for': `198.18.${i >> 8}.${i & 255}` },
          body: 'grant_type=refresh_token&refresh_token=x',
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

describe('the bounded argon2 queue', () => {
  const f = useServer({ env: { KEYTURN_TRUST_PROXY: '1' }, config: { hashQueueLength: QUEUE } }, async (s) => {
    const [app, ada] = await Promise.all([aClient(s), aPerson(s)]);
    return { app, ada, tokens: await signInTokens(s, await ada.signIn(), app) };
  });

  it('answers the next sign-in and client authentication 503 with Retry-After while the queue is full, and serves them again after', async () => {
    const { s, app, ada } = f;
    const held = Array.from({ length: s.kt.config.hashConcurrency + QUEUE }, () => gate());
    const busy = held.map((g) => s.kt.hashing.run(g.task));
    try {
      const signIn = await new Browser(s).signIn(ada.email, PASSWORD, {}, { 'x-forwarded-for': '203.0.113.40' });
      expect([signIn.status, signIn.headers['retry-after']]).toEqual([503, '1']);
      expect(signIn.headers['content-type']).toMatch(/^text\/html/);
      const token = await raw(endpoint(s, 'token'), { method: 'POST', headers: { ...FORM, authorization: basic(app.id, 'wrong-secret-0123456789') }, body: 'grant_type=refresh_token&refresh_token=x' });
      expect([token.status, token.headers['retry-after'], JSON.parse(token.body).error]).toEqual([503, '1', 'temporarily_unavailable']);
    } finally {
      held.forEach((g) => g.open());
      await Promise.all(busy);
    }
    expect((await new Browser(s).signIn(ada.email, PASSWORD, {}, { 'x-forwarded-for': '203.0.113.40' })).status).toBe(303);
  });

  it('keeps answering refreshes with a verified secret in well under a second during a flood of wrong secrets from many addresses', async () => {
    const { s, app, tokens } = f;
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const flooding = flood(s, app.id, stopped);
    const timings: Array<{ status: number; ms: number; floodRunning: boolean }> = [];
    try {
      // Let the flood fill the queue first.
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const res = await refresh(s, app, tokens.refresh_token);
        timings.push({ status: res.status, ms: performance.now() - started, floodRunning: s.kt.hashing.running > 0 });
      }
    } finally {
      stop();
    }
    const statuses = await flooding;
    for (const t of timings) expect(t).toEqual({ status: 200, ms: expect.any(Number), floodRunning: true });
    expect(Math.max(...timings.map((t) => t.ms))).toBeLessThan(1000);
    // The flood was checked (401) as far as the queue allowed and refused (503) past it: the queue did not grow.
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect(statuses.get(503)).toBeGreaterThan(0);
    expect([...statuses.keys()].sort()).toEqual([401, 503]);
  });
});
