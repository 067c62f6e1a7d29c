/**
 * Housekeeping end to end: `keyturn gc` and the server's own timer delete expired codes,
 * grants with their refresh tokens, SSO sessions and revoked-token entries, in bounded
 * batches that let requests through, and leave everything still alive alone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { collectGarbage } from '../domain/housekeeping.js';
import { aClient, REDIRECT } from '../test-support/clients.js';
import { DAY, frozenClock } from '../test-support/clock.js';
import { testBackends } from '../test-support/databases.js';
import { revoke, ssoCookie, userinfo } from '../test-support/endpoints.js';
import { keyturnHere } from '../test-support/keyturnOnServer.js';
import { authorize, refresh, signInTokens } from '../test-support/oauth.js';
import { METADATA_PATHS } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { startTestServer, withServer, type TestServer } from '../test-support/server.js';

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

/**
 * A server (of `options`) whose database holds rows that expired `age` ago, seeded as
 * `seedExpired` does, with the clock then moved to now; runs `use` and closes the server.
 */
async function withExpiredRows(
  options: Parameters<typeof startTestServer>[0] & { age: number; rows: { codes: number; grants: number } },
  use: (s: TestServer) => Promise<void>,
): Promise<void> {
  const clock = frozenClock(Date.now() - options.age);
  await withServer({ ...options, now: clock.now }, async (s) => {
    const person = await aPerson(s);
    const client = await aClient(s);
    await seedExpired(s, person.id, client.id, clock.now(), options.rows);
    clock.advance(options.age);
    await use(s);
  });
}

for (const backend of testBackends()) {
  describe(`keyturn gc (${backend})`, () => {
    it('deletes every expired code, grant with its refresh tokens, SSO session and revoked-token entry, and keeps the live ones', async () => {
      // Everything below is first written 70 days ago (past the 60-day refresh and SSO lifetimes)…
      const clock = frozenClock(Date.now() - 70 * DAY);
      await withServer({ backend, now: clock.now, config: { gcIntervalSec: 0 } }, async (s) => {
        const ada = await aPerson(s);
        const client = await aClient(s);
        const oldNpsso = await ada.signIn();
        const old = await signInTokens(s, oldNpsso, client);
        expect((await revoke(s, client, old.access_token)).status).toBe(200);
        const codeParams = { client_id: client.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', access_type: 'offline' };
        await authorize(s, oldNpsso, codeParams);
        await seedExpired(s, ada.id, client.id, clock.now(), { codes: OLD.codes, grants: OLD.grants });

        // …and then, today, the person signs in again and an app holds live tokens.
        clock.advance(70 * DAY);
        const npsso = await ada.signIn();
        const live = await signInTokens(s, npsso, client);
        const other = await signInTokens(s, npsso, client);
        expect((await revoke(s, client, other.access_token)).status).toBe(200);
        const unused = await authorize(s, npsso, codeParams);
        expect(unused.status).toBe(302);

        // Old: the seeded rows plus one session, two codes (one used), one grant with its refresh token, one revocation.
        const expired = { auth_codes: OLD.codes + 2, grants: OLD.grants + 1, refresh_tokens: 3 * OLD.grants + 1, sso_sessions: OLD.codes + 1, revoked_access_tokens: OLD.codes + 1 };
        const alive = { auth_codes: 3, grants: 2, refresh_tokens: 2, sso_sessions: 1, revoked_access_tokens: 1 };
        expect(await countRows(s)).toEqual(Object.fromEntries(TABLES.map((t) => [t, expired[t] + alive[t]])));

        const gc = await keyturnHere(s, 'gc', '--batch-size', '100');
        expect(gc.err).toBe('');
        expect(gc.code).toBe(0);
        expect(gc.out).toBe(`deleted ${Object.values(expired).reduce((a, b) => a + b)} expired rows\n`);
        expect(await countRows(s)).toEqual(alive);

        // The live rows still do their jobs: the session, the refresh token, the revocation.
        expect((await ssoCookie(s, npsso)).body).toEqual({ npsso });
        const refreshed = await refresh(s, client, live.refresh_token);
        expect(refreshed.status).toBe(200);
        expect(typeof refreshed.body.access_token).toBe('string');
        expect((await userinfo(s, other.access_token)).status).toBe(401);
        expect((await userinfo(s, live.access_token)).status).toBe(200);

        const again = await keyturnHere(s, 'gc');
        expect(again.out).toBe('deleted 0 expired rows\n');
      });
    });

    it('runs on its own every gcIntervalSec while serving', async () => {
      await withExpiredRows({ backend, age: 2 * DAY, rows: { codes: 60, grants: 20 }, config: { gcIntervalSec: 1 } }, async (s) => {
        await vi.waitFor(async () => expect(await countRows(s)).toEqual({ auth_codes: 0, grants: 0, refresh_tokens: 0, sso_sessions: 0, revoked_access_tokens: 0 }), {
          timeout: 5000,
          interval: 200,
        });
      });
    });
  });
}

describe('a housekeeping pass', () => {
  it('stops after maxBatches, leaving the rest for the next pass', async () => {
    await withExpiredRows({ age: DAY, rows: { codes: 400, grants: 0 }, config: { gcIntervalSec: 0 } }, async (s) => {
      const first = await collectGarbage(s.kt, { batchSize: 50, maxBatches: 2 });
      // Each batch takes at most 50 rows of each kind: codes, SSO sessions, revoked entries.
      expect(first).toEqual({ deleted: 2 * 3 * 50, batches: 2, complete: false });
      expect(await countRows(s)).toMatchObject({ auth_codes: 300, sso_sessions: 300, revoked_access_tokens: 300 });
      const rest = await collectGarbage(s.kt, { batchSize: 50 });
      expect(rest).toEqual({ deleted: 3 * 300, batches: 7, complete: true });
    });
  });

  it('yields between batches so a request is answered while a long pass runs (regression: a pass that never yields blocks SQLite servers)', async () => {
    await withExpiredRows({ age: DAY, rows: { codes: 600, grants: 0 }, config: { gcIntervalSec: 0 } }, async (s) => {
      let finished = false;
      const pass = collectGarbage(s.kt, { batchSize: 10, maxBatches: 1000 }).then((r) => {
        finished = true;
        return r;
      });
      const res = await fetch(s.url + METADATA_PATHS[0]);
      expect(res.status).toBe(200);
      expect(finished).toBe(false);
      expect(await pass).toMatchObject({ deleted: 1800, complete: true });
    });
  });
});

describe('the housekeeping timer', () => {
  it('does not run when gcIntervalSec is 0, and stops when the server closes', async () => {
    await withServer({ config: { gcIntervalSec: 0 } }, async (off) => {
      const on = await startTestServer({ config: { gcIntervalSec: 1 } });
      const offCalls = vi.spyOn(off.kt.repo, 'deleteExpired');
      const onCalls = vi.spyOn(on.kt.repo, 'deleteExpired');
      await vi.waitFor(() => expect(onCalls).toHaveBeenCalled(), { timeout: 3000, interval: 50 });
      await on.close();
      const atClose = onCalls.mock.calls.length;
      await new Promise((r) => setTimeout(r, 1300));
      expect(onCalls.mock.calls.length).toBe(atClose);
      expect(offCalls).not.toHaveBeenCalled();
    });
  });
});

describe('keyturn gc: usage', () => {
  it('prints help and exits 2 on a bad batch size or an unknown flag', async () => {
    await withServer({ config: { gcIntervalSec: 0 } }, async (s) => {
      const help = await keyturnHere(s, 'gc', '--help');
      expect(help.code).toBe(0);
      expect(help.out).toMatch(/^Usage: keyturn gc \[options\]/);
      expect(help.out).toContain('--batch-size <n>');
      for (const bad of [['--batch-size', '0'], ['--batch-size', 'ten'], ['--batch-size', '1.5'], ['--everything']]) {
        const r = await keyturnHere(s, 'gc', ...bad);
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
      }
    });
  });
});
