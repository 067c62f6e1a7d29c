/**
 * Signing key rotation end to end: `keyturn keys rotate` in another process, a running server
 * that picks it up, tokens from before the rotation that still verify against the published
 * JWKS, and retired keys dropped only once every token they signed has expired.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { aClient, PSN, type TestClient } from '../test-support/clients.js';
import { frozenClock, SECOND } from '../test-support/clock.js';
import { introspect, jwks, userinfo } from '../test-support/endpoints.js';
import { keyturnHere, keyturnProcess } from '../test-support/keyturnOnServer.js';
import { refresh, signInTokens } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { startTestServer, withServer, type TestServer } from '../test-support/server.js';

const SCOPE = `${PSN.scope} openid`;

/** The PlayStation app's tokens for this npsso: the access, ID and refresh token. */
async function issueTokens(s: TestServer, psn: TestClient, npsso: string): Promise<{ access: string; id: string; refresh: string }> {
  const tokens = await signInTokens(s, npsso, psn, { scope: SCOPE });
  return { access: tokens.access_token, id: tokens.id_token!, refresh: tokens.refresh_token };
}

describe('signing key rotation', () => {
  const clock = frozenClock();
  const KEY_CACHE_SEC = 5;
  let s: TestServer;
  let psn: TestClient;
  let npsso: string;

  beforeAll(async () => {
    // The commands read the same configuration as the server, as they would in a deployment.
    process.env.KEYTURN_KEY_CACHE = String(KEY_CACHE_SEC);
    // A frozen clock: the key cache and token expiry are crossed without sleeping.
    s = await startTestServer({ now: clock.now, env: { KEYTURN_KEY_CACHE: String(KEY_CACHE_SEC) }, config: { gcIntervalSec: 0 } });
    psn = await aClient(s, { ...PSN, scope: SCOPE });
    npsso = await (await aPerson(s)).signIn();
  });
  afterAll(async () => {
    delete process.env.KEYTURN_KEY_CACHE;
    await s.close();
  });

  it('keeps tokens signed before a rotation verifiable, picks up a rotation made by another process, and prunes only after they expire', async () => {
    const before = await issueTokens(s, psn, npsso);
    const oldKid = decodeProtectedHeader(before.access).kid!;
    expect(decodeProtectedHeader(before.access).alg).toBe('RS256');
    expect((await jwks(s)).keys.map((k) => k.kid)).toEqual([oldKid]);

    const rotated = await keyturnProcess(s, 'keys', 'rotate', '--alg', 'ES256');
    expect(rotated.stderr).toBe('');
    expect(rotated.code).toBe(0);
    const newKid = /new active signing key ([0-9a-f-]{36}) \(ES256\)/.exec(rotated.stdout)?.[1];
    expect(newKid).toMatch(/^[0-9a-f-]{36}$/);
    expect(newKid).not.toBe(oldKid);

    // The running server re-reads its keys once its cache (KEYTURN_KEY_CACHE) has passed.
    clock.advance((KEY_CACHE_SEC + 1) * SECOND);
    const published = await jwks(s);
    expect(published.keys.map((k) => [k.kid, k.alg]).sort()).toEqual([[newKid, 'ES256'], [oldKid, 'RS256']].sort());

    const after = await issueTokens(s, psn, npsso);
    expect(decodeProtectedHeader(after.access)).toMatchObject({ kid: newKid, alg: 'ES256', typ: 'at+jwt' });
    expect(decodeProtectedHeader(after.id)).toMatchObject({ kid: newKid, alg: 'ES256' });

    // Both generations verify with the JWKS a relying party fetches from the server.
    const set = createLocalJWKSet(published);
    const options = { issuer: s.issuer, currentDate: clock.date(), algorithms: ['RS256', 'ES256'] };
    const old = await jwtVerify(before.access, set, { ...options, typ: 'at+jwt' });
    expect(old.payload.client_id).toBe(PSN.id);
    expect((await jwtVerify(before.id, set, { ...options, audience: PSN.id })).payload.iss).toBe(s.issuer);
    expect((await jwtVerify(after.access, set, { ...options, typ: 'at+jwt' })).payload.client_id).toBe(PSN.id);

    // A refresh token issued under the old key keeps working; the new access token uses the new key.
    const refreshed = await refresh(s, psn, before.refresh);
    expect(refreshed.status).toBe(200);
    expect(decodeProtectedHeader(refreshed.body.access_token as string).kid).toBe(newKid);

    // Too early to prune: the old key may still have signed a live token.
    const early = await keyturnHere(s, 'keys', 'prune');
    expect(early).toMatchObject({ code: 0, out: 'no retired key can be pruned yet\n' });
    await s.server.housekeeping();
    expect((await jwks(s)).keys.map((k) => k.kid).sort()).toEqual([newKid, oldKid].sort());

    const listed = await keyturnHere(s, 'keys', 'list');
    expect(listed.code).toBe(0);
    const lines = listed.out.trim().split('\n');
    expect(lines[0]).toMatch(/^KID\s+ALG\s+STATUS\s+CREATED\s+RETIRED\s+PRUNABLE FROM$/);
    const oldLine = lines.find((l) => l.startsWith(oldKid))!;
    const newLine = lines.find((l) => l.startsWith(newKid!))!;
    expect(newLine).toMatch(/ES256\s+active\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+-\s+-$/);
    const [, retired, prunable] = /RS256\s+retired\s+\S+\s+(\S+)\s+(\S+)$/.exec(oldLine) ?? [];
    // Retention is the token lifetime (3600 s) plus the key cache of other processes.
    expect(Date.parse(prunable!) - Date.parse(retired!)).toBe((3600 + KEY_CACHE_SEC) * 1000);

    // Once every token the old key signed has expired, the server drops it on its own.
    // (the other process retired the key by the real clock, a few seconds after this one started)
    clock.advance((3600 + KEY_CACHE_SEC + 60) * SECOND);
    await s.server.housekeeping();
    const later = await jwks(s);
    expect(later.keys.map((k) => k.kid)).toEqual([newKid]);
    await expect(jwtVerify(before.access, createLocalJWKSet(later), { issuer: s.issuer, currentDate: new Date(clock.now() - 3700_000 - 60_000) })).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });
});

describe('two servers on one database, one of them rotates', () => {
  it('verifies on the other server, at once, tokens signed with the key it has not cached yet (regression: introspection said inactive for up to 30 s)', async () => {
    const clock = frozenClock();
    const config = { issuer: 'http://keyturn.test', issuerFromAddress: false, gcIntervalSec: 0 };
    // Default key cache (30 s) and a frozen clock: only the unknown kid can make `a` re-read its keys.
    await withServer({ now: clock.now, config }, (a) =>
      withServer({ now: clock.now, config: { ...config, database: a.database } }, async (b) => {
        const psn = await aClient(a, { ...PSN, scope: SCOPE });
        const npsso = await (await aPerson(a)).signIn();
        const oldKid = decodeProtectedHeader((await issueTokens(a, psn, npsso)).access).kid;
        const rotated = await b.kt.keys.rotate('EdDSA');
        const fresh = await issueTokens(b, psn, npsso);
        expect(decodeProtectedHeader(fresh.access).kid).toBe(rotated.kid);
        expect(rotated.kid).not.toBe(oldKid);

        const info = await userinfo(a, fresh.access);
        expect(info.status).toBe(200);
        expect((info.body as { sub: string }).sub).toMatch(/^[0-9a-f-]{36}$/);
        expect(await introspect(a, psn, fresh.access)).toMatchObject({ active: true, client_id: PSN.id });
        // Having re-read, `a` now publishes and signs with the new key as well.
        expect((await jwks(a)).keys.map((k) => k.kid).sort()).toEqual([oldKid, rotated.kid].sort());
        expect(decodeProtectedHeader((await issueTokens(a, psn, npsso)).access).kid).toBe(rotated.kid);
      }),
    );
  });
});

describe('periodic housekeeping prunes retired keys while serving', () => {
  it('drops an expired retired key without any command, on the gc timer', async () => {
    const clock = frozenClock();
    await withServer({ now: clock.now, env: { KEYTURN_KEY_CACHE: '0' }, config: { gcIntervalSec: 1 } }, async (s) => {
      const old = (await s.kt.keys.list())[0]!;
      const fresh = await s.kt.keys.rotate('EdDSA');
      expect((await jwks(s)).keys.map((k) => k.kid).sort()).toEqual([old.kid, fresh.kid].sort());
      clock.advance(3601 * SECOND);
      await vi.waitFor(async () => expect((await jwks(s)).keys.map((k) => [k.kid, k.alg])).toEqual([[fresh.kid, 'EdDSA']]), { timeout: 5000, interval: 100 });
    });
  });
});

describe('keyturn keys: usage', () => {
  it('prints help for keys, rotate, prune and list', async () => {
    for (const args of [['keys', '--help'], ['keys', 'rotate', '--help'], ['keys', 'prune', '--help'], ['keys', 'list', '--help']]) {
      const r = await keyturnHere(null, ...args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: keyturn keys/);
    }
    expect((await keyturnHere(null, 'keys', 'rotate', '--help')).out).toContain('--alg <alg>');
  });

  it('exits 2 on an unknown algorithm or flag, and changes nothing', async () => {
    await withServer({ config: { gcIntervalSec: 0 } }, async (s) => {
      const kids = (await s.kt.keys.list()).map((k) => k.kid);
      const badAlg = await keyturnHere(s, 'keys', 'rotate', '--alg', 'HS256');
      expect(badAlg.code).toBe(2);
      expect(badAlg.err).toContain("argument 'HS256' is invalid. Allowed choices are RS256, ES256, EdDSA");
      expect((await keyturnHere(s, 'keys', 'prune', '--force')).code).toBe(2);
      expect((await keyturnHere(s, 'keys', 'list', '--bogus')).code).toBe(2);
      expect((await keyturnHere(s, 'keys', 'rotate', '--alg')).code).toBe(2);
      expect((await s.kt.keys.list()).map((k) => k.kid)).toEqual(kids);
    });
  });

  it('prunes with keyturn keys prune once the retired key has outlived its tokens', async () => {
    process.env.KEYTURN_ACCESS_TOKEN_TTL = '1';
    process.env.KEYTURN_KEY_CACHE = '0';
    try {
      await withServer({ config: { gcIntervalSec: 0 } }, async (s) => {
        const old = (await s.kt.keys.list())[0]!;
        expect((await keyturnHere(s, 'keys', 'rotate')).code).toBe(0);
        expect((await keyturnHere(s, 'keys', 'prune')).out).toBe('no retired key can be pruned yet\n');
        await new Promise((r) => setTimeout(r, 1100));
        const pruned = await keyturnHere(s, 'keys', 'prune');
        expect(pruned).toMatchObject({ code: 0, out: `pruned ${old.kid}\n` });
        expect((await s.kt.keys.list()).map((k) => k.status)).toEqual(['active']);
      });
    } finally {
      delete process.env.KEYTURN_ACCESS_TOKEN_TTL;
      delete process.env.KEYTURN_KEY_CACHE;
    }
  });

  it('rotates to the configured algorithm when --alg is not given', async () => {
    await withServer({ config: { gcIntervalSec: 0 } }, async (s) => {
      const r = await keyturnHere(s, 'keys', 'rotate');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/new active signing key [0-9a-f-]{36} \(RS256\)/);
      const keys = await s.kt.keys.list();
      expect(keys.map((k) => k.status).sort()).toEqual(['active', 'retired']);
    });
  });
});
