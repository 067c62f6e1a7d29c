/**
 * The log, as a collector sees it: every line one JSON object with a request id (the caller's
 * sane X-Request-Id, echoed, else a made one), the client and the outcome once known; security
 * events at warn (lockout, refresh-token reuse, "Revoke all", key rotation, a token from another
 * issuer); probes never at info.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateSigningKey } from '../domain/rotateSigningKey.js';
import { accountPage } from '../test-support/accountPage.js';
import { Browser } from '../test-support/browser.js';
import { aClient, type TestClient } from '../test-support/clients.js';
import { userinfo } from '../test-support/endpoints.js';
import { refresh, signInTokens } from '../test-support/oauth.js';
import { aPerson, type Person } from '../test-support/people.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

type Line = Record<string, unknown> & { level: number; msg: string };
const WARN = 40;
const LOCK = 5;

const DEBUG = 20;

/** A test server whose log lines (at `logLevel`, default info) are kept, parsed. */
async function loggedServer(extra: Parameters<typeof startTestServer>[0] = {}, logLevel = 'info'): Promise<{ s: TestServer; raw: string[]; lines: () => Line[] }> {
  const raw: string[] = [];
  const s = await startTestServer({ ...extra, http: { logger: true, logLevel, logStream: { write: (line) => void raw.push(line) } } });
  return { s, raw, lines: () => raw.map((l) => JSON.parse(l) as Line) };
}

describe('the log of a server', () => {
  let s: TestServer;
  let raw: string[];
  let lines: () => Line[];
  let app: TestClient;
  let pub: TestClient;
  let ada: Person;

  beforeAll(async () => {
    ({ s, raw, lines } = await loggedServer({ config: { loginSlowAfter: 1000, loginLockAfter: LOCK } }));
    app = await aClient(s);
    pub = await aClient(s, { public: true });
    ada = await aPerson(s);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('writes every line as one JSON object', () => {
    expect(raw.length).toBeGreaterThan(0);
    for (const line of raw) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('keeps a sane X-Request-Id, echoes it and logs it; replaces anything else with a made id', async () => {
    const kept = await fetch(`${s.url}/healthz`, { headers: { 'x-request-id': 'lb-7f3a.42_x' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a.42_x');
    const page = await fetch(`${s.url}/signin`, { headers: { 'x-request-id': 'trace-signin-1' } });
    await page.text();
    expect(lines().filter((l) => l.reqId === 'trace-signin-1').map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    for (const bad of ['has spaces', 'x'.repeat(65), 'line\nbreak', '"quoted"']) {
      const res = await fetch(`${s.url}/healthz`, { headers: { 'x-request-id': encodeURI(bad) === bad ? bad : encodeURIComponent(bad) } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const none = await fetch(`${s.url}/healthz`);
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never logs the probes at info', async () => {
    await fetch(`${s.url}/healthz`);
    await fetch(`${s.url}/readyz`);
    expect(lines().filter((l) => JSON.stringify(l).includes('/healthz') || JSON.stringify(l).includes('/readyz'))).toEqual([]);
  });

  it('names the client and the outcome on the lines of a token request', async () => {
    const tokens = await signInTokens(s, await ada.signIn(), app);
    const res = await refresh(s, app, `${tokens.refresh_token}x`, {});
    expect(res.status).toBe(400);
    const done = lines().filter((l) => l.msg === 'request completed' && l.clientId === app.id);
    expect(done.map((l) => l.outcome)).toContain('invalid_grant');
    // The event of every token answer is a debug line: at info there is none.
    expect(lines().filter((l) => l.event === 'tokens.issued')).toEqual([]);
  });

  it('warns once when repeated sign-in failures lock an account, not on every refusal after it', async () => {
    const eve = await aPerson(s);
    for (let i = 0; i < LOCK; i++) expect((await new Browser(s, { from: `127.0.9.${i + 1}` }).signIn(eve.email, `wrong-${i}`)).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await new Browser(s, { from: '127.0.9.99' }).signIn(eve.email, eve.password)).status).toBe(429);
    const warns = lines().filter((l) => l.level === WARN && l.event === 'signin.locked');
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatchObject({ userId: eve.id, address: `127.0.9.${LOCK}`, windowSec: 900 });
    expect(JSON.stringify(warns[0])).not.toContain(eve.email);
  });

  it('warns on refresh-token reuse, on "Revoke all" and on key rotation', async () => {
    s.kt.config.rotationRetryWindowSec = 0;
    const npsso = await ada.signIn();
    const first = await signInTokens(s, npsso, pub);
    expect((await refresh(s, pub, first.refresh_token)).status).toBe(200);
    expect((await refresh(s, pub, first.refresh_token)).status).toBe(400);
    expect(lines().filter((l) => l.level === WARN && l.event === 'refresh.reuse_detected')).toEqual([expect.objectContaining({ clientId: pub.id, userId: ada.id })]);

    const browser = await Browser.signedIn(s, ada);
    const { csrf } = await accountPage(browser);
    expect((await browser.post('/account/sessions/revoke-all', { csrf })).status).toBe(303);
    expect(lines().filter((l) => l.level === WARN && l.event === 'sessions.revoked')).toEqual([expect.objectContaining({ userId: ada.id })]);

    const key = await rotateSigningKey(s.kt);
    expect(lines().filter((l) => l.level === WARN && l.event === 'key.rotated')).toEqual([expect.objectContaining({ kid: key.kid })]);
  });
});

describe('the log at debug level', () => {
  it('has a line for every token answer, naming the grant type and client, never the token', async () => {
    const { s, raw, lines } = await loggedServer({}, 'debug');
    try {
      const app = await aClient(s);
      const ada = await aPerson(s);
      const tokens = await signInTokens(s, await ada.signIn(), app);
      expect((await refresh(s, app, tokens.refresh_token)).status).toBe(200);
      const issued = lines().filter((l) => l.event === 'tokens.issued');
      expect(issued.map((l) => [l.level, l.grantType, l.clientId, l.outcome])).toEqual([
        [DEBUG, 'authorization_code', app.id, 'ok'],
        [DEBUG, 'refresh_token', app.id, 'ok'],
      ]);
      expect(raw.join('\n')).not.toContain(tokens.refresh_token);
    } finally {
      await s.close();
    }
  });
});

describe('two servers on one database with different issuers', () => {
  it('logs one warning naming both issuers when a token of the other is refused', async () => {
    const a = await loggedServer({ config: { gcIntervalSec: 0 } });
    const b = await loggedServer({ config: { database: a.s.database, gcIntervalSec: 0 }, dataDir: a.s.dataDir });
    try {
      expect(a.s.issuer).not.toBe(b.s.issuer);
      const app = await aClient(a.s);
      const ada = await aPerson(a.s);
      const tokens = await signInTokens(a.s, await ada.signIn(), app);
      expect((await userinfo(b.s, tokens.access_token)).status).toBe(401);
      expect((await userinfo(b.s, tokens.access_token)).status).toBe(401);
      const warns = b.lines().filter((l) => l.level === WARN && l.event === 'token.foreign_issuer');
      expect(warns).toHaveLength(1);
      expect(warns[0]).toMatchObject({ issuer: a.s.issuer, expected: b.s.issuer });
      expect(warns[0]!.msg).toContain(a.s.issuer);
      expect(warns[0]!.msg).toContain(b.s.issuer);
      expect(warns[0]!.msg).toContain('--issuer');
    } finally {
      await b.s.close();
      await a.s.close();
    }
  });
});
