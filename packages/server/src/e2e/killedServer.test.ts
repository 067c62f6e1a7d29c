/**
 * A real SIGKILL under load, on SQLite and on PostgreSQL: a built `keyturn serve` process
 * answers sustained refreshes (reuse and rotate) and code exchanges, is killed with SIGKILL
 * mid-stream, and is started again on the same database. Every token a client received before
 * the kill still works afterwards: each refresh token refreshes, each access token introspects
 * active, a rotating client's last successor refreshes, and a rotating refresh whose answer the
 * kill lost succeeds when retried (the retry window, or the spend was never committed). On
 * SQLite, `PRAGMA integrity_check` is ok after every kill.
 */
import BetterSqlite3 from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createKeyturn } from '../compose.js';
import { addClient } from '../domain/clients.js';
import { createUser } from '../domain/users.js';
import { ENV } from '../test-support/cli.js';
import { credentials, REDIRECT, type TestClient } from '../test-support/clients.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../test-support/databases.js';
import { introspect } from '../test-support/endpoints.js';
import { authorize, codeFrom, refresh, tokenRequest } from '../test-support/oauth.js';
import { PASSWORD, uniqueEmail } from '../test-support/people.js';
import { signInThroughForm } from '../test-support/server.js';
import { requireBuiltCli, startServe, stop, START_TIMEOUT_MS, type ServeProcess } from '../test-support/serveProcess.js';

const ISSUER = 'http://keyturn.test';
const KILLS = 2;
/** Load before each kill: ~3 s in all per backend. */
const LOAD_MS = 1_500;
const CHAINS = 4;
const REUSE = credentials('reuse-app', 'reuse-secret-0123456789abcdef');
const ROTATE = credentials('rotate-app', 'rotate-secret-0123456789abcdef');

/** What the clients hold: every token they received, and the rotating refreshes whose answer was lost. */
interface Held {
  reuseTokens: string[];
  accessTokens: Array<{ client: TestClient; token: string }>;
  chains: Array<{ current: string; lost: string | null }>;
  /** Answers other than 200 before the kill (there must be none). */
  unexpected: string[];
}

/** Runs `step` until it throws (the server is gone); records a non-200 answer as unexpected. */
async function untilKilled(held: Held, step: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      await step();
    } catch (err) {
      if (err instanceof UnexpectedAnswer) held.unexpected.push(err.message);
      return;
    }
  }
}

class UnexpectedAnswer extends Error {}

function keep(held: Held, client: TestClient, res: { status: number; body: Record<string, unknown> }): string {
  if (res.status !== 200) throw new UnexpectedAnswer(`${res.status} ${JSON.stringify(res.body)}`);
  held.accessTokens.push({ client, token: res.body.access_token as string });
  return res.body.refresh_token as string;
}

/** The load: reuse refreshes, rotate refreshes (one chain each), and sign-in code exchanges, until the process dies. */
function load(url: string, npsso: string, held: Held): Promise<void[]> {
  const reuse = held.reuseTokens.slice(0, 2).map((token) => untilKilled(held, async () => void keep(held, REUSE, await refresh(url, REUSE, token))));
  const rotate = held.chains.map((chain) =>
    untilKilled(held, async () => {
      chain.lost = chain.current;
      const res = await refresh(url, ROTATE, chain.current);
      chain.current = keep(held, ROTATE, res);
      chain.lost = null;
    }),
  );
  const exchange = [0, 1].map(() =>
    untilKilled(held, async () => {
      const { location } = await authorize(url, npsso, { client_id: REUSE.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid offline_access' });
      const res = await tokenRequest(url, { grant_type: 'authorization_code', code: codeFrom(location), redirect_uri: REDIRECT }, REUSE.auth);
      held.reuseTokens.push(keep(held, REUSE, res));
    }),
  );
  return Promise.all([...reuse, ...rotate, ...exchange]);
}

/** Runs `check` on every item, eight at a time; answers how many it checked. */
async function checkAll<T>(items: T[], check: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < items.length) await check(items[next++]!);
    }),
  );
  return items.length;
}

/** After a restart: every token the clients hold works. Answers how many tokens it checked. */
async function checkEverything(url: string, held: Held): Promise<{ checked: number; lostRetried: number }> {
  const lostRetried = held.chains.filter((c) => c.lost !== null).length;
  let checked = await checkAll(held.chains, async (chain) => {
    // An answer the kill lost: the client retries the token it sent; otherwise it uses its last successor.
    const res = await refresh(url, ROTATE, chain.lost ?? chain.current);
    expect(res, `rotating refresh of ${chain.lost === null ? 'the last successor' : 'a token whose answer was lost'}`).toMatchObject({ status: 200 });
    chain.current = res.body.refresh_token as string;
    chain.lost = null;
    // The new successor is live too: no theft detection was set off.
    const again = await refresh(url, ROTATE, chain.current);
    expect(again.status).toBe(200);
    chain.current = again.body.refresh_token as string;
  });
  checked += await checkAll(held.reuseTokens, async (token) => {
    const res = await refresh(url, REUSE, token);
    expect(res, 'a reuse refresh token received before the kill').toMatchObject({ status: 200, body: { refresh_token: token } });
  });
  checked += await checkAll(held.accessTokens.splice(0), async ({ client, token }) => {
    expect(await introspect(url, client, token), 'an access token received before the kill').toMatchObject({ active: true });
  });
  return { checked, lostRetried };
}

function expectIntegrity(file: string): void {
  const db = new BetterSqlite3(file);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    db.close();
  }
}

for (const kind of testBackends()) {
  describe(`keyturn serve killed with SIGKILL under load (${kind})`, () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), `keyturn-kill-${kind}-`));
    let db: TestDatabase | undefined;
    afterAll(async () => {
      await db?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it(`loses no token a client received, across ${KILLS} kills`, async () => {
      requireBuiltCli();
      if (kind === 'postgres') db = await createTestDatabase('postgres');
      const database = db?.target ?? path.join(dataDir, 'keyturn.db');
      const env = { ...ENV, KEYTURN_SECRET: `kill-${randomBytes(16).toString('hex')}`, KEYTURN_LOG_LEVEL: 'warn', KEYTURN_GC_INTERVAL: '0', KEYTURN_ROTATION_RETRY_WINDOW: '60' };
      const email = uniqueEmail('ada');
      const kt = await createKeyturn(loadConfig({ database, dataDir }, env), { skipKeys: true });
      try {
        await createUser(kt, { email, password: PASSWORD });
        await addClient(kt, { id: REUSE.id, secret: REUSE.secret!, redirectUris: [REDIRECT], refreshPolicy: 'reuse' });
        await addClient(kt, { id: ROTATE.id, secret: ROTATE.secret!, redirectUris: [REDIRECT], refreshPolicy: 'rotate' });
      } finally {
        await kt.close();
      }
      const serve = () => startServe(['--database', database, '--data-dir', dataDir, '--issuer', ISSUER], env);

      let p: ServeProcess = await serve();
      try {
        const npsso = await signInThroughForm(p.url, email, PASSWORD);
        const held: Held = { reuseTokens: [], accessTokens: [], chains: [], unexpected: [] };
        const grant = async (client: TestClient) => {
          const { location } = await authorize(p.url, npsso, { client_id: client.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid offline_access' });
          return keep(held, client, await tokenRequest(p.url, { grant_type: 'authorization_code', code: codeFrom(location), redirect_uri: REDIRECT }, client.auth));
        };
        for (let i = 0; i < 2; i++) held.reuseTokens.push(await grant(REUSE));
        for (let i = 0; i < CHAINS; i++) held.chains.push({ current: await grant(ROTATE), lost: null });

        for (let kill = 1; kill <= KILLS; kill++) {
          const running = load(p.url, npsso, held);
          await sleep(LOAD_MS);
          const received = held.reuseTokens.length + held.accessTokens.length + held.chains.length;
          p.child.kill('SIGKILL');
          await p.exited;
          await running;
          expect(held.unexpected, 'answers under load before the kill').toEqual([]);
          if (kind === 'sqlite') expectIntegrity(database);

          p = await serve();
          const { checked, lostRetried } = await checkEverything(p.url, held);
          expect(checked).toBeGreaterThanOrEqual(received);
          // The figures of this run (issue 9 asks for them).
          console.info(`[${kind}] kill ${kill} survived: ${checked} tokens checked after restart (${lostRetried} rotating refreshes whose answer was lost, retried)`);
        }
        expect(await stop(p)).toBe(0);
        if (kind === 'sqlite') expectIntegrity(database);
      } finally {
        if (p.child.exitCode === null && p.child.signalCode === null) await stop(p, 'SIGKILL');
      }
    }, 2 * START_TIMEOUT_MS + 60_000);
  });
}
