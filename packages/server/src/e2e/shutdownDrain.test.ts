/**
 * The bounded drain of a real `keyturn serve` process on SIGTERM (issue 9, finding 2): it stops
 * accepting at once, lets a request in flight finish, closes what is still open after
 * `KEYTURN_SHUTDOWN_TIMEOUT` and exits 0. Regression: one client that sent headers and held its
 * body back kept the stopping process alive until it let go (every deploy an outage until SIGKILL).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV, keyturn, prepareDatabase } from '../test-support/cli.js';
import { cookieValue, csrfFrom, raw } from '../test-support/http.js';
import { formPostHead, holdConnection } from '../test-support/heldConnection.js';
import { PASSWORD, uniqueEmail } from '../test-support/people.js';
import { requireBuiltCli, startServe, stop, START_TIMEOUT_MS } from '../test-support/serveProcess.js';

const SHUTDOWN_SEC = 2;
/** Closing storage and exiting after the drain, on a loaded machine. */
const EXIT_SLACK_MS = 4_000;

describe('keyturn serve on SIGTERM', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyturn-drain-'));
  // `user add` does not create a database (only serve does): make it as serve would.
  beforeAll(() => prepareDatabase({ dataDir }));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finishes a request in flight, closes a connection that holds its body back, and exits 0 within the shutdown timeout', async () => {
    requireBuiltCli();
    // The request timeout stays at its default (30 s): the drain bound, not it, must end this.
    const env = { ...ENV, KEYTURN_SECRET: `drain-${randomBytes(16).toString('hex')}`, KEYTURN_SHUTDOWN_TIMEOUT: String(SHUTDOWN_SEC), KEYTURN_LOG_LEVEL: 'warn' };
    const store = ['--data-dir', dataDir];
    const email = uniqueEmail('ada');
    expect(await keyturn(['user', 'add', '--email', email, '--password-stdin', ...store], { env, stdin: PASSWORD })).toMatchObject({ code: 0 });
    const p = await startServe(store, env);
    try {
      const form = await raw(`${p.url}/signin`);
      const seed = cookieValue(form.headers['set-cookie'] ?? [], 'kt_csrf');
      const body = new URLSearchParams({ email, password: PASSWORD, csrf: csrfFrom(form.body) ?? '' }).toString();
      const head = (length: number) => formPostHead('/signin', length, { Cookie: `kt_csrf=${seed}` });
      // One honest client mid-upload, one attacker that never sends its body.
      const honest = await holdConnection(p.url, head(body.length) + body.slice(0, 10));
      const attacker = await holdConnection(p.url, head(1000));
      await sleep(200); // both requests have reached the server

      const signalled = performance.now();
      p.child.kill('SIGTERM');
      await sleep(300);
      await expect(raw(`${p.url}/signin`), 'a new connection after SIGTERM').rejects.toMatchObject({ code: 'ECONNREFUSED' });
      honest.socket.write(body.slice(10));

      const exit = await Promise.race([p.exited, sleep(SHUTDOWN_SEC * 1000 + EXIT_SLACK_MS, 'still running' as const)]);
      const exitedAfterMs = performance.now() - signalled;
      expect(exit, `output: ${p.output()}`).toBe(0);
      expect(exitedAfterMs).toBeLessThan(SHUTDOWN_SEC * 1000 + EXIT_SLACK_MS);
      // The request in flight finished: a signed-in answer, not a reset or a 503.
      expect(honest.received()).toMatch(/^HTTP\/1\.1 303 /);
      expect(cookieValue(honest.received().split('\r\n').filter((l) => /^set-cookie:/i.test(l)).map((l) => l.slice(11)), 'npsso')).toMatch(/^[A-Za-z0-9_-]{64}$/);
      // The attacker's connection was closed by the server, after the grace period.
      expect(attacker.isClosed()).toBe(true);
      expect(await attacker.closed).toBeGreaterThanOrEqual(SHUTDOWN_SEC * 1000);
      expect(attacker.received()).not.toMatch(/^HTTP\/1\.1 [23]/);
    } finally {
      if (p.child.exitCode === null && p.child.signalCode === null) await stop(p, 'SIGKILL');
    }
  }, START_TIMEOUT_MS + 30_000);
});
