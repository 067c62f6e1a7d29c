/**
 * Checks that must be counted before they run, whatever happens around them. Regression
 * (issue 9, finding 1): a client that resets the connection right after sending its request
 * still has its client authentication counted (each costs an argon2 check; once the socket was
 * gone the address read as undefined and the check ran uncounted). And a Redis counter that
 * cannot count answers 503 with Retry-After, never letting the attempt through uncounted.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { aClient, basic } from '../test-support/clients.js';
import { FORM, raw } from '../test-support/http.js';
import { endpoint, PATHS } from '../test-support/paths.js';
import { aPerson, PASSWORD } from '../test-support/people.js';
import { Browser } from '../test-support/browser.js';
import { openRedisSandbox } from '../test-support/redis.js';
import { useServer, withServer, type TestServer } from '../test-support/server.js';

const RESETS = 40;
const LOCK = 20;

/** Sends one whole token request from `from` and destroys the socket at once, without reading an answer. */
function sendAndReset(s: TestServer, from: string, authorization: string): Promise<void> {
  const { port } = new URL(s.url);
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'guess' }).toString();
  const request =
    `POST ${PATHS.token} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${FORM['content-type']}\r\n` +
    `Authorization: ${authorization}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: Number(port), localAddress: from }, () => {
      socket.write(request, () => {
        socket.resetAndDestroy();
        resolve();
      });
    });
    socket.on('error', reject);
  });
}

describe('client authentication from connections reset at once', () => {
  const f = useServer({ config: { clientAuthLockAfter: LOCK } }, async (s) => ({ app: await aClient(s) }));

  it('counts every reset request towards the lock, so the next wrong secret from that address gets 429', async () => {
    const { s, app } = f;
    const from = '127.0.30.1';
    for (let i = 0; i < RESETS; i++) await sendAndReset(s, from, basic(`unknown-client-${i}`, `guessed-secret-${i}-0123456789`));
    // The server reaches the reset requests after their sockets are gone: wait until it counted them (or give up).
    const deadline = Date.now() + 5000;
    while ((await s.kt.attempts.peek(`client:${from}`)) < LOCK && Date.now() < deadline) await sleep(50);
    const res = await raw(endpoint(s, 'token'), { method: 'POST', from, headers: { ...FORM, authorization: basic(app.id, 'wrong-secret-0123456789') }, body: 'grant_type=refresh_token&refresh_token=x' });
    expect(res.status).toBe(429);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'temporarily_unavailable' });
  });
});

describe('an attempt counter that cannot count', () => {
  it('answers 503 with Retry-After at sign-in and at the token endpoint, and checks no password or secret', async () => {
    const r = await openRedisSandbox();
    try {
      await withServer({ config: r.config }, async (s) => {
        const [ada, app] = await Promise.all([aPerson(s), aClient(s)]);
        const from = '127.0.30.2';
        // A count Redis cannot increment: INCR answers an error inside the transaction.
        await r.redis.set(`${r.prefix}login:addr:${from}`, 'not-a-count');
        await r.redis.set(`${r.prefix}login:client:${from}`, 'not-a-count');
        const run = vi.spyOn(s.kt.hashing, 'run');
        const signIn = await new Browser(s, { from }).signIn(ada.email, PASSWORD);
        expect([signIn.status, signIn.headers['retry-after']]).toEqual([503, '5']);
        expect(signIn.headers['set-cookie']?.some((c) => c.startsWith('npsso='))).not.toBe(true);
        const token = await raw(endpoint(s, 'token'), { method: 'POST', from, headers: { ...FORM, authorization: basic(app.id, 'wrong-secret-0123456789') }, body: 'grant_type=refresh_token&refresh_token=x' });
        expect([token.status, token.headers['retry-after'], JSON.parse(token.body).error]).toEqual([503, '5', 'temporarily_unavailable']);
        expect(run).not.toHaveBeenCalled();
      });
    } finally {
      await r.drop();
    }
  });
});
