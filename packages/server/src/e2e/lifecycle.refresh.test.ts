import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { PASSWORD, introspect, manualClock, refresh, registerClient, signInTokens, verifyJwt, type TestClient } from './test-support/lifecycle.js';

const DAY_MS = 86_400_000;
const sha256 = (v: string) => createHash('sha256').update(v, 'utf8').digest('hex');

describe('refresh policies, retry-safe rotation and refresh lifetimes', () => {
  const clock = manualClock();
  let s: TestServer;
  let npsso: string;
  let reuser: TestClient;
  let rotator: TestClient;
  let publicApp: TestClient;

  beforeAll(async () => {
    s = await startTestServer({ now: clock.now });
    await s.addUser('ada@example.com', PASSWORD, 'Ada Lovelace');
    reuser = await registerClient(s, 'reuser');
    rotator = await registerClient(s, 'rotator', { refreshPolicy: 'rotate' });
    publicApp = await registerClient(s, 'public-app', { public: true });
    npsso = await s.signIn('ada@example.com', PASSWORD);
  });
  afterAll(() => s.close());

  it('gives a confidential client the reuse policy by default: the same refresh token back, new access and ID tokens, expiry counting down', async () => {
    expect((await s.kt.repo.getClient('reuser'))!.refreshPolicy).toBe('reuse');
    const first = await signInTokens(s, npsso, reuser);
    expect(first.refresh_token_expires_in).toBe(60 * 86_400);
    clock.advance(DAY_MS);
    const second = await refresh(s, reuser, first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect(second.body.id_token).not.toBe(first.id_token);
    expect(second.body.refresh_token_expires_in).toBe(59 * 86_400);
    clock.advance(1000);
    const third = await refresh(s, reuser, first.refresh_token);
    expect(third.body.refresh_token).toBe(first.refresh_token);
    expect(third.body.refresh_token_expires_in).toBe(59 * 86_400 - 1);
  });

  it('forces rotate on public clients: every refresh returns a new token and spends the old one', async () => {
    expect((await s.kt.repo.getClient('public-app'))!.refreshPolicy).toBe('rotate');
    const first = await signInTokens(s, npsso, publicApp);
    const second = await refresh(s, publicApp, first.refresh_token);
    expect(second.status).toBe(200);
    expect(typeof second.body.refresh_token).toBe('string');
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(await introspect(s, publicApp, first.refresh_token)).toEqual({ active: false });
    expect(await introspect(s, publicApp, second.body.refresh_token as string)).toMatchObject({ active: true, client_id: 'public-app' });
    const third = await refresh(s, publicApp, second.body.refresh_token as string);
    expect(third.status).toBe(200);
    expect(new Set([first.refresh_token, second.body.refresh_token, third.body.refresh_token]).size).toBe(3);
  });

  it('stores only hashes of refresh tokens, never a raw token (regression guard for plaintext storage)', async () => {
    const first = await signInTokens(s, npsso, rotator);
    const second = await refresh(s, rotator, first.refresh_token);
    const successor = second.body.refresh_token as string;
    for (const raw of [first.refresh_token, successor]) {
      expect(await s.kt.repo.findRefreshToken(raw)).toBeNull();
      const record = await s.kt.repo.findRefreshToken(sha256(raw));
      expect(record?.tokenHash).toBe(sha256(raw));
    }
    const spent = await s.kt.repo.findRefreshToken(sha256(first.refresh_token));
    expect(spent?.successorHash).toBe(sha256(successor));
    expect(spent?.spentAt).toBe(clock.now());
    // And nowhere else in the database file: scan every text cell of every table.
    const db = new Database(s.database, { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      let cells = 0;
      for (const { name } of tables) {
        for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
          for (const value of Object.values(row)) {
            cells++;
            if (typeof value === 'string') {
              expect(value.includes(first.refresh_token)).toBe(false);
              expect(value.includes(successor)).toBe(false);
            }
          }
        }
      }
      expect(cells).toBeGreaterThan(20);
    } finally {
      db.close();
    }
  });

  it('answers a retry of the just-spent token inside the window with the same successor and a fresh access token', async () => {
    const first = await signInTokens(s, npsso, rotator);
    const second = await refresh(s, rotator, first.refresh_token);
    clock.advance(9_000);
    const retry = await refresh(s, rotator, first.refresh_token);
    expect(retry.status).toBe(200);
    expect(retry.body.refresh_token).toBe(second.body.refresh_token);
    expect(retry.body.access_token).not.toBe(second.body.access_token);
    expect((await verifyJwt(s, retry.body.access_token as string, 'at+jwt', clock.date())).iat).toBe(Math.floor(clock.now() / 1000));
    // The successor still works: the retry did not count as theft.
    const third = await refresh(s, rotator, second.body.refresh_token as string);
    expect(third.status).toBe(200);
  });

  it('treats a spent token presented after the retry window as theft and revokes the whole family, successor included', async () => {
    const first = await signInTokens(s, npsso, rotator);
    const second = await refresh(s, rotator, first.refresh_token);
    clock.advance(10_001);
    const late = await refresh(s, rotator, first.refresh_token);
    expect(late).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await refresh(s, rotator, second.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await introspect(s, rotator, second.body.access_token as string)).toEqual({ active: false });
    expect(await introspect(s, rotator, first.access_token)).toEqual({ active: false });
    const record = await s.kt.repo.findRefreshToken(sha256(first.refresh_token));
    expect((await s.kt.repo.getGrant(record!.grantId))!.revokedReason).toBe('refresh_token_reuse');
  });

  it('treats a spent token presented after its successor was used as theft, even inside the window', async () => {
    const first = await signInTokens(s, npsso, rotator);
    const second = await refresh(s, rotator, first.refresh_token);
    const third = await refresh(s, rotator, second.body.refresh_token as string);
    expect(third.status).toBe(200);
    clock.advance(1_000);
    expect(await refresh(s, rotator, first.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await refresh(s, rotator, third.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await refresh(s, rotator, second.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('keeps the absolute lifetime across rotations: refresh_token_expires_in counts down and the family ends on time', async () => {
    const short = await registerClient(s, 'short-rotator', { refreshPolicy: 'rotate', refreshTtlSec: 1000 });
    const first = await signInTokens(s, npsso, short);
    expect(first.refresh_token_expires_in).toBe(1000);
    const end = (await s.kt.repo.findRefreshToken(sha256(first.refresh_token)))!.expiresAt;
    expect(end).toBe(clock.now() + 1_000_000);
    let token = first.refresh_token;
    for (const expected of [700, 400, 100]) {
      clock.advance(300_000);
      const next = await refresh(s, short, token);
      expect(next.status).toBe(200);
      expect(next.body.refresh_token).not.toBe(token);
      expect(next.body.refresh_token_expires_in).toBe(expected);
      token = next.body.refresh_token as string;
      // Each successor inherits the family's end, never a fresh lifetime.
      expect((await s.kt.repo.findRefreshToken(sha256(token)))!.expiresAt).toBe(end);
    }
    clock.advance(100_000);
    expect(await refresh(s, short, token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('ends a reuse-policy token at its absolute lifetime too', async () => {
    const short = await registerClient(s, 'short-reuser', { refreshTtlSec: 600 });
    const first = await signInTokens(s, npsso, short);
    clock.advance(599_000);
    expect(await refresh(s, short, first.refresh_token)).toMatchObject({ status: 200, body: { refresh_token: first.refresh_token, refresh_token_expires_in: 1 } });
    expect(await introspect(s, short, first.refresh_token)).toMatchObject({ active: true, exp: Math.floor(clock.now() / 1000) + 1 });
    clock.advance(1_000);
    expect(await introspect(s, short, first.refresh_token)).toEqual({ active: false });
    expect(await refresh(s, short, first.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('ends a token left unused longer than the idle lifetime, and keeps one used in time working', async () => {
    const idle = await registerClient(s, 'idle-client', { refreshPolicy: 'rotate', refreshIdleTtlSec: 600 });
    const first = await signInTokens(s, npsso, idle);
    let token = first.refresh_token;
    for (let i = 0; i < 3; i++) {
      clock.advance(599_000);
      const next = await refresh(s, idle, token);
      expect(next.status).toBe(200);
      token = next.body.refresh_token as string;
    }
    clock.advance(600_000);
    expect(await introspect(s, idle, token)).toEqual({ active: false });
    expect(await refresh(s, idle, token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('lets scope narrow on refresh but never widen', async () => {
    const first = await signInTokens(s, npsso, reuser, { scope: 'openid email' });
    expect(first.scope).toBe('openid email');
    const narrowed = await refresh(s, reuser, first.refresh_token, { scope: 'openid' });
    expect(narrowed).toMatchObject({ status: 200, body: { scope: 'openid' } });
    expect((await verifyJwt(s, narrowed.body.access_token as string, 'at+jwt', clock.date())).scope).toBe('openid');
    // `profile` is allowed for the client but was not granted: asking for it widens.
    expect(await refresh(s, reuser, first.refresh_token, { scope: 'openid email profile' })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    expect(await refresh(s, reuser, first.refresh_token, { scope: 'openid admin' })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    // Omitted scope means the scope originally granted (RFC 6749 6).
    expect(await refresh(s, reuser, first.refresh_token)).toMatchObject({ status: 200, body: { scope: 'openid email' } });
  });

  it('issues ID tokens on refresh with the original sub, aud, auth_time and iss, and no stale nonce (OIDC Core 12.2)', async () => {
    const first = await signInTokens(s, npsso, rotator, { nonce: 'n-0S6_WzA2Mj' });
    const original = await verifyJwt(s, first.id_token!, 'JWT', clock.date());
    expect(original.nonce).toBe('n-0S6_WzA2Mj');
    clock.advance(3_600_000);
    const next = await refresh(s, rotator, first.refresh_token);
    const renewed = await verifyJwt(s, next.body.id_token as string, 'JWT', clock.date());
    expect(renewed.sub).toBe(original.sub);
    expect(renewed.aud).toBe(original.aud);
    expect(renewed.aud).toBe('rotator');
    expect(renewed.iss).toBe(s.issuer);
    expect(renewed.auth_time).toBe(original.auth_time);
    expect(renewed.iat).toBe((original.iat as number) + 3600);
    expect(renewed.nonce).toBeUndefined();
  });
});

describe('the retry window is configurable', () => {
  const clock = manualClock();
  let s: TestServer;
  let client: TestClient;
  let npsso: string;
  beforeAll(async () => {
    s = await startTestServer({ now: clock.now, env: { KEYTURN_ROTATION_RETRY_WINDOW: '2' } });
    await s.addUser('bob@example.com', PASSWORD);
    client = await registerClient(s, 'app', { public: true });
    npsso = await s.signIn('bob@example.com', PASSWORD);
  });
  afterAll(() => s.close());

  it('reads KEYTURN_ROTATION_RETRY_WINDOW into config.rotationRetryWindowSec', () => {
    expect(s.kt.config.rotationRetryWindowSec).toBe(2);
  });

  it('answers a retry 2 s later with the successor and one 3 s later with theft', async () => {
    const a = await signInTokens(s, npsso, client);
    const a2 = await refresh(s, client, a.refresh_token);
    clock.advance(2_000);
    expect(await refresh(s, client, a.refresh_token)).toMatchObject({ status: 200, body: { refresh_token: a2.body.refresh_token } });

    const b = await signInTokens(s, npsso, client);
    const b2 = await refresh(s, client, b.refresh_token);
    clock.advance(3_000);
    expect(await refresh(s, client, b.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await refresh(s, client, b2.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
