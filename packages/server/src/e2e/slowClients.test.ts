/**
 * Timeouts against slow and silent clients (issue 9, finding 2): a client that sends complete
 * headers and then holds its body back, drips it a byte at a time, dribbles its headers, or
 * keeps an idle connection, is cut off by the configured timeout (plus Node's one-second sweep),
 * with a 408 when a request had begun. Regression: with fastify's defaults the whole-request
 * timeout was off, and such a connection stayed open for more than 130 s.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, it } from 'vitest';
import { formPostHead, holdConnection, type HeldConnection } from '../test-support/heldConnection.js';
import { useServer } from '../test-support/server.js';

const TIMEOUT_SEC = 2;
/** Node checks timeouts once a second; a loaded machine may add a little. */
const SLACK_MS = 2_000;

/** How long the connection took to close, or `null` when it was still open after `ms`. */
async function closedWithin(held: HeldConnection, ms: number): Promise<number | null> {
  return Promise.race([held.closed, sleep(ms, null)]);
}

// The cases wait on timers, not on the CPU: they run at once.
describe.concurrent('slow and silent clients', () => {
  const f = useServer({ config: { headersTimeoutSec: TIMEOUT_SEC, requestTimeoutSec: TIMEOUT_SEC, keepAliveTimeoutSec: 1 } });
  const open: HeldConnection[] = [];
  const hold = async (first: string) => {
    const held = await holdConnection(f.s.url, first);
    open.push(held);
    return held;
  };
  afterAll(() => {
    for (const held of open.splice(0)) held.socket.destroy();
  });

  it('closes a connection that sent POST /signin headers with Content-Length: 1000 and then nothing, with 408, within the request timeout', async ({ expect }) => {
    const held = await hold(formPostHead('/signin', 1000));
    const ms = await closedWithin(held, TIMEOUT_SEC * 1000 + SLACK_MS);
    expect(ms, 'the connection was still open').not.toBeNull();
    expect(ms!).toBeGreaterThanOrEqual(TIMEOUT_SEC * 1000 - 100);
    expect(held.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection that drips its body a byte every half second (the timeout bounds the whole request, not the silence)', async ({ expect }) => {
    const held = await hold(formPostHead('/signin', 1000));
    const drip = setInterval(() => held.socket.write('a'), 500);
    try {
      const ms = await closedWithin(held, TIMEOUT_SEC * 1000 + SLACK_MS);
      expect(ms, 'the connection was still open').not.toBeNull();
      expect(held.received()).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      clearInterval(drip);
    }
  });

  it('closes a connection that dribbles its headers a line every half second, within the headers timeout', async ({ expect }) => {
    const held = await hold('GET /signin HTTP/1.1\r\nHost: keyturn.test\r\n');
    let n = 0;
    const dribble = setInterval(() => held.socket.write(`X-Slow-${++n}: a\r\n`), 500);
    try {
      expect(await closedWithin(held, TIMEOUT_SEC * 1000 + SLACK_MS), 'the connection was still open').not.toBeNull();
      expect(held.received()).not.toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      clearInterval(dribble);
    }
  });

  it('answers a request that arrives in time, then closes the idle keep-alive connection after the keep-alive timeout', async ({ expect }) => {
    const held = await hold('GET /signin HTTP/1.1\r\nHost: keyturn.test\r\n\r\n');
    const ms = await closedWithin(held, 1000 + SLACK_MS);
    expect(held.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(ms, 'the idle connection was still open').not.toBeNull();
    expect(ms!).toBeGreaterThanOrEqual(900);
  });

  it('still takes a whole form body sent at once (the timeouts cut only the slow)', async ({ expect }) => {
    const body = 'email=a%40example.com&password=x&csrf=none';
    const held = await hold(formPostHead('/signin', body.length, { Connection: 'close' }) + body);
    expect(await closedWithin(held, SLACK_MS)).not.toBeNull();
    // The form has no valid CSRF token: refused as a form, not as a timeout.
    expect(held.received()).toMatch(/^HTTP\/1\.1 403 /);
  });
});
