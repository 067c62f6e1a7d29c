/**
 * The refresh_token grant: the reuse policy by default, absolute and idle lifetimes, scope that
 * may narrow but never widen, ID tokens on refresh, refresh tokens stored only as hashes, and a
 * refresh token good only for the client it was issued to. (Rotation: refreshRotation.)
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aClient } from '../test-support/clients.js';
import { DAY, frozenClock, HOUR } from '../test-support/clock.js';
import { introspect, revoke, verifyJwt } from '../test-support/endpoints.js';
import { refresh, signInTokens } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

const sha256 = (v: string) => createHash('sha256').update(v, 'utf8').digest('hex');

describe('the refresh_token grant', () => {
  const clock = frozenClock();
  const f = useServer({ now: clock.now }, async (s) => {
    const reuser = await aClient(s, { id: 'reuser' });
    const other = await aClient(s);
    const rotator = await aClient(s, { id: 'rotator', policy: 'rotate' });
    const publicApp = await aClient(s, { public: true });
    const npsso = await (await aPerson(s, { name: 'Ada Lovelace' })).signIn();
    return { npsso, reuser, other, rotator, publicApp };
  });

  it('gives a confidential client the reuse policy by default: the same refresh token back, new access and ID tokens, expiry counting down', async () => {
    const { s, npsso, reuser } = f;
    expect((await s.kt.repo.getClient(reuser.id))!.refreshPolicy).toBe('reuse');
    const first = await signInTokens(s, npsso, reuser);
    expect(first.refresh_token_expires_in).toBe(60 * 86_400);
    clock.advance(DAY);
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

  it("refuses a refresh token issued to another client exactly as an unknown one, and the owner's token keeps working, rotating or not", async () => {
    const { s, npsso, reuser, other, rotator, publicApp } = f;
    for (const owner of [reuser, rotator, publicApp]) {
      const tokens = await signInTokens(s, npsso, owner);
      for (const thief of [reuser, other, publicApp].filter((c) => c !== owner)) {
        const res = await refresh(s, thief, tokens.refresh_token);
        expect({ owner: owner.id, thief: thief.id, status: res.status, error: res.body.error }).toEqual({ owner: owner.id, thief: thief.id, status: 400, error: 'invalid_grant' });
        expect(res.body.access_token).toBeUndefined();
        // So that the thief learns nothing: the answer to a token it never had.
        expect(res.body).toEqual((await refresh(s, thief, 'x'.repeat(43))).body);
        expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'the refresh token is invalid' });
        // Neither introspection nor revocation by the thief does anything to it.
        expect(await introspect(s, thief, tokens.refresh_token)).toEqual({ active: false });
        expect(await introspect(s, thief, tokens.access_token)).toEqual({ active: false });
        expect((await revoke(s, thief, tokens.refresh_token)).status).toBe(200);
      }
      // The theft attempts did not spend a rotating token nor revoke the family.
      const again = await refresh(s, owner, tokens.refresh_token);
      expect({ owner: owner.id, status: again.status }).toEqual({ owner: owner.id, status: 200 });
      expect(await introspect(s, owner, tokens.access_token)).toMatchObject({ active: true, client_id: owner.id });
    }
  });

  it('stores only hashes of refresh tokens, never a raw token (regression guard for plaintext storage)', async () => {
    const { s, npsso, rotator } = f;
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

  it('ends a reuse-policy token at its absolute lifetime', async () => {
    const { s, npsso } = f;
    const short = await aClient(s, { refreshTtlSec: 600 });
    const first = await signInTokens(s, npsso, short);
    clock.advance(599_000);
    expect(await refresh(s, short, first.refresh_token)).toMatchObject({ status: 200, body: { refresh_token: first.refresh_token, refresh_token_expires_in: 1 } });
    expect(await introspect(s, short, first.refresh_token)).toMatchObject({ active: true, exp: Math.floor(clock.now() / 1000) + 1 });
    clock.advance(1_000);
    expect(await introspect(s, short, first.refresh_token)).toEqual({ active: false });
    expect(await refresh(s, short, first.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('ends a token left unused longer than the idle lifetime, and keeps one used in time working', async () => {
    const { s, npsso } = f;
    const idle = await aClient(s, { policy: 'rotate', refreshIdleTtlSec: 600 });
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
    const { s, npsso, reuser } = f;
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
    const { s, npsso, rotator } = f;
    const first = await signInTokens(s, npsso, rotator, { nonce: 'n-0S6_WzA2Mj' });
    const original = await verifyJwt(s, first.id_token!, 'JWT', clock.date());
    expect(original.nonce).toBe('n-0S6_WzA2Mj');
    clock.advance(HOUR);
    const next = await refresh(s, rotator, first.refresh_token);
    const renewed = await verifyJwt(s, next.body.id_token as string, 'JWT', clock.date());
    expect(renewed.sub).toBe(original.sub);
    expect(renewed.aud).toBe(original.aud);
    expect(renewed.aud).toBe(rotator.id);
    expect(renewed.iss).toBe(s.issuer);
    expect(renewed.auth_time).toBe(original.auth_time);
    expect(renewed.iat).toBe((original.iat as number) + 3600);
    expect(renewed.nonce).toBeUndefined();
  });
});
