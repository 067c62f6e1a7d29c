/**
 * Housekeeping end to end: `keyturn gc` and the server's own timer delete expired codes,
 * grants with their refresh tokens, SSO sessions and revoked-token entries, in bounded
 * batches that let requests through, and leave everything still alive alone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.js';
import { collectGarbage } from '../domain/housekeeping.js';
import { testBackends, type BackendKind } from '../test-support/databases.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { authorize, basic, codeFrom, tokenRequest } from './lib.js';

const SECRET = 'test-secret-test-secret-test-secret-0123';
const PASSWORD = 'correct horse battery';
const REDIRECT = 'http://127.0.0.1:9/callback';

function manualClock(start: number) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

interface App {
  id: string;
  auth: string;
}

async function registerClient(s: TestServer, id: string): Promise<App> {
  const secret = `${id}-secret-0123456789`;
  await s.addClient({ id, secret, redirectUris: [REDIRECT], scope: 'openid email offline_access' });
  return { id, auth: basic(id, secret) };
}

/** The real authorize + code exchange. */
async function signInTokens(s: TestServer, npsso: string, app: App): Promise<{ access_token: string; refresh_token: string }> {
  const { location } = await authorize(s.url, npsso, { client_id: app.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email', access_type: 'offline' });
  const res = await tokenRequest(s.url, { grant_type: 'authorization_code', code: codeFrom(location), redirect_uri: REDIRECT }, app.auth);
  expect(res.status).toBe(200);
  return res.body as { access_token: string; refresh_token: string };
}

const refresh = (s: TestServer, app: App, token: string) => tokenRequest(s.url, { grant_type: 'refresh_token', refresh_token: token }, app.auth);

async function revoke(s: TestServer, app: App, token: string): Promise<{ status: number }> {
  const res = await fetch(`${s.url}/api/authz/v3/oauth/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: app.auth },
    body: new URLSearchParams({ token }).toString(),
  });
  await res.arrayBuffer();
  return { status: res.status };
}

async function userinfo(s: TestServer, accessToken: string): Promise<{ status: number }> {
  const res = await fetch(`${s.url}/api/authz/v3/oauth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  await res.arrayBuffer();
  return { status: res.status };
}
const DAY = 86_400_000;
/** Expired rows written straight to the database by the first test (on top of those from the real flow). */
const OLD = { codes: 250, grants: 100 };
const TABLES = ['auth_codes', 'grants', 'refresh_tokens', 'sso_sessions', 'revoked_access_tokens'] as const;
type Counts = Record<(typeof TABLES)[number], number>;

/** Row counts read straight from the database, as an operator would. */
async function countRows(s: TestServer): Promise<Counts> {
  const out = {} as Counts;
  if (s.database.startsWith('postgres')) {
    const client = new pg.Client({ connectionString: s.database });
    await client.connect();
    try {
      for (const t of TABLES) out[t] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n);
    } finally {
      await client.end();
    }
  } else {
    const db = new Sqlite(s.database, { readonly: true });
    try {
      for (const t of TABLES) out[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  return out;
}

const hex = () => randomBytes(32).toString('hex');

/**
 * Many rows that expired long ago, written through the repository: `codes` codes, SSO
 * sessions and revoked-token entries, and `grants` grants whose refresh token was rotated
 * twice (three refresh tokens each).
 */
async function seedExpired(s: TestServer, userId: string, clientId: string, at: number, n: { codes: number; grants: number }): Promise<void> {
  const repo = s.kt.repo;
  const expiresAt = at + 60_000;
  const chunk = async (count: number, make: (i: number) => Promise<void>) => {
    for (let i = 0; i < count; i += 50) await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => make(i + j)));
  };
  await chunk(n.codes, () =>
    repo.createAuthCode({
      codeHash: hex(), clientId, userId, ssoSessionId: null, redirectUri: REDIRECT, redirectUriGiven: true, scope: 'openid', nonce: null, codeChallenge: null,
      codeChallengeMethod: null, offline: true, authTime: at, createdAt: at, expiresAt, consumedAt: null, grantId: null,
    }),
  );
  await chunk(n.codes, () => repo.createSsoSession({ id: randomUUID(), tokenHash: hex(), userId, authTime: at, createdAt: at, expiresAt, revokedAt: null, userAgent: 'old browser' }));
  await chunk(n.codes, () => repo.revokeAccessToken(randomUUID(), expiresAt));
  await chunk(n.grants, async () => {
    const grantId = randomUUID();
    let token = hex();
    await repo.createGrant(
      { id: grantId, clientId, userId, ssoSessionId: null, scope: 'openid', authTime: at, createdAt: at, expiresAt, lastUsedAt: at, revokedAt: null, revokedReason: null, userAgent: null },
      { tokenHash: token, grantId, parentHash: null, createdAt: at, expiresAt, spentAt: null, successorHash: null },
      null,
    );
    for (let r = 0; r < 2; r++) {
      const next = hex();
      expect(await repo.spendRefreshToken(token, { tokenHash: next, grantId, parentHash: token, createdAt: at, expiresAt, spentAt: null, successorHash: null }, at)).toBe(true);
      token = next;
    }
  });
}

async function keyturn(s: TestServer, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  process.env.KEYTURN_SECRET = SECRET;
  try {
    const code = await main(['node', 'keyturn', ...args, '--database', s.database, '--data-dir', s.dataDir]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    delete process.env.KEYTURN_SECRET;
    process.exitCode = undefined;
  }
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(backend: BackendKind, options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer({ backend, ...options });
  servers.push(s);
  return s;
}

for (const backend of testBackends()) {
  describe(`keyturn gc (${backend})`, () => {
    it('deletes every expired code, grant with its refresh tokens, SSO session and revoked-token entry, and keeps the live ones', async () => {
      // Everything below is first written 70 days ago (past the 60-day refresh and SSO lifetimes)…
      const clock = manualClock(Date.now() - 70 * DAY);
      const s = await server(backend, { now: clock.now, config: { gcIntervalSec: 0 } });
      const user = await s.addUser('ada@example.com', PASSWORD);
      const client = await registerClient(s, 'gc-app');
      const oldNpsso = await s.signIn('ada@example.com', PASSWORD);
      const old = await signInTokens(s, oldNpsso, client);
      expect((await revoke(s, client, old.access_token)).status).toBe(200);
      await authorize(s.url, oldNpsso, { client_id: client.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', access_type: 'offline' });
      await seedExpired(s, user.id, client.id, clock.now(), { codes: OLD.codes, grants: OLD.grants });

      // …and then, today, the person signs in again and an app holds live tokens.
      clock.advance(70 * DAY);
      const npsso = await s.signIn('ada@example.com', PASSWORD);
      const live = await signInTokens(s, npsso, client);
      const other = await signInTokens(s, npsso, client);
      expect((await revoke(s, client, other.access_token)).status).toBe(200);
      const unused = await authorize(s.url, npsso, { client_id: client.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', access_type: 'offline' });
      expect(unused.status).toBe(302);

      // Old: the seeded rows plus one session, two codes (one used), one grant with its refresh token, one revocation.
      const expired = { auth_codes: OLD.codes + 2, grants: OLD.grants + 1, refresh_tokens: 3 * OLD.grants + 1, sso_sessions: OLD.codes + 1, revoked_access_tokens: OLD.codes + 1 };
      const alive = { auth_codes: 3, grants: 2, refresh_tokens: 2, sso_sessions: 1, revoked_access_tokens: 1 };
      expect(await countRows(s)).toEqual(Object.fromEntries(TABLES.map((t) => [t, expired[t] + alive[t]])));

      const gc = await keyturn(s, 'gc', '--batch-size', '100');
      expect(gc.err).toBe('');
      expect(gc.code).toBe(0);
      expect(gc.out).toBe(`deleted ${Object.values(expired).reduce((a, b) => a + b)} expired rows\n`);
      expect(await countRows(s)).toEqual(alive);

      // The live rows still do their jobs: the session, the refresh token, the revocation.
      const sso = await fetch(`${s.url}/api/v1/ssocookie`, { headers: { cookie: `npsso=${npsso}` } });
      expect(await sso.json()).toEqual({ npsso });
      const refreshed = await refresh(s, client, live.refresh_token);
      expect(refreshed.status).toBe(200);
      expect(typeof refreshed.body.access_token).toBe('string');
      expect((await userinfo(s, other.access_token)).status).toBe(401);
      expect((await userinfo(s, live.access_token)).status).toBe(200);

      const again = await keyturn(s, 'gc');
      expect(again.out).toBe('deleted 0 expired rows\n');
    });

    it('runs on its own every gcIntervalSec while serving', async () => {
      const clock = manualClock(Date.now() - 2 * DAY);
      const s = await server(backend, { now: clock.now, config: { gcIntervalSec: 1 } });
      const user = await s.addUser('bo@example.com', PASSWORD);
      await registerClient(s, 'timer-app');
      await seedExpired(s, user.id, 'timer-app', clock.now(), { codes: 60, grants: 20 });
      clock.advance(2 * DAY);
      await vi.waitFor(async () => expect(await countRows(s)).toEqual({ auth_codes: 0, grants: 0, refresh_tokens: 0, sso_sessions: 0, revoked_access_tokens: 0 }), {
        timeout: 5000,
        interval: 200,
      });
    });
  });
}

describe('a housekeeping pass', () => {
  it('stops after maxBatches, leaving the rest for the next pass', async () => {
    const clock = manualClock(Date.now() - DAY);
    const s = await server('sqlite', { now: clock.now, config: { gcIntervalSec: 0 } });
    const user = await s.addUser('cy@example.com', PASSWORD);
    await registerClient(s, 'bounded-app');
    await seedExpired(s, user.id, 'bounded-app', clock.now(), { codes: 400, grants: 0 });
    clock.advance(DAY);
    const first = await collectGarbage(s.kt, { batchSize: 50, maxBatches: 2 });
    // Each batch takes at most 50 rows of each kind: codes, SSO sessions, revoked entries.
    expect(first).toEqual({ deleted: 2 * 3 * 50, batches: 2, complete: false });
    expect(await countRows(s)).toMatchObject({ auth_codes: 300, sso_sessions: 300, revoked_access_tokens: 300 });
    const rest = await collectGarbage(s.kt, { batchSize: 50 });
    expect(rest).toEqual({ deleted: 3 * 300, batches: 7, complete: true });
  });

  it('yields between batches so a request is answered while a long pass runs (regression: a pass that never yields blocks SQLite servers)', async () => {
    const clock = manualClock(Date.now() - DAY);
    const s = await server('sqlite', { now: clock.now, config: { gcIntervalSec: 0 } });
    const user = await s.addUser('di@example.com', PASSWORD);
    await registerClient(s, 'busy-app');
    await seedExpired(s, user.id, 'busy-app', clock.now(), { codes: 600, grants: 0 });
    clock.advance(DAY);
    let finished = false;
    const pass = collectGarbage(s.kt, { batchSize: 10, maxBatches: 1000 }).then((r) => {
      finished = true;
      return r;
    });
    const res = await fetch(`${s.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(finished).toBe(false);
    expect(await pass).toMatchObject({ deleted: 1800, complete: true });
  });
});

describe('the housekeeping timer', () => {
  it('does not run when gcIntervalSec is 0, and stops when the server closes', async () => {
    const off = await startTestServer({ config: { gcIntervalSec: 0 } });
    const on = await startTestServer({ config: { gcIntervalSec: 1 } });
    const offCalls = vi.spyOn(off.kt.repo, 'deleteExpired');
    const onCalls = vi.spyOn(on.kt.repo, 'deleteExpired');
    try {
      await vi.waitFor(() => expect(onCalls).toHaveBeenCalled(), { timeout: 3000, interval: 50 });
      await on.close();
      const atClose = onCalls.mock.calls.length;
      await new Promise((r) => setTimeout(r, 1300));
      expect(onCalls.mock.calls.length).toBe(atClose);
      expect(offCalls).not.toHaveBeenCalled();
    } finally {
      await off.close();
    }
  });
});

describe('keyturn gc: usage', () => {
  it('prints help and exits 2 on a bad batch size or an unknown flag', async () => {
    const s = await server('sqlite', { config: { gcIntervalSec: 0 } });
    const help = await keyturn(s, 'gc', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: keyturn gc \[options\]/);
    expect(help.out).toContain('--batch-size <n>');
    for (const bad of [['--batch-size', '0'], ['--batch-size', 'ten'], ['--batch-size', '1.5'], ['--everything']]) {
      const r = await keyturn(s, 'gc', ...bad);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
    }
  });
});
