/**
 * Signing key rotation end to end: `keyturn keys rotate` in another process, a running server
 * that picks it up, tokens from before the rotation that still verify against the published
 * JWKS, and retired keys dropped only once every token they signed has expired.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.js';
import { ENV, keyturn as runKeyturn, type Run } from '../test-support/cli.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { PSN, authorize, basic, codeFrom, tokenRequest } from './lib.js';

const SECRET = 'test-secret-test-secret-test-secret-0123';
const PASSWORD = 'correct horse battery';

/** The built `keyturn` command in a separate Node process, on the test server's database. */
function keyturnProcess(s: TestServer, ...args: string[]): Promise<Run> {
  return runKeyturn([...args, '--database', s.database, '--data-dir', s.dataDir], { env: { ...ENV, KEYTURN_SECRET: SECRET } });
}

/** `keyturn …` in this process (its own context and database connection, as a second process has). */
async function keyturn(s: TestServer | null, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  const previous = process.env.KEYTURN_SECRET;
  process.env.KEYTURN_SECRET = SECRET;
  process.exitCode = undefined;
  try {
    const storage = s ? ['--database', s.database, '--data-dir', s.dataDir] : [];
    const code = await main(['node', 'keyturn', ...args, ...storage]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    if (previous === undefined) delete process.env.KEYTURN_SECRET;
    else process.env.KEYTURN_SECRET = previous;
    process.exitCode = undefined;
  }
}

async function jwks(s: TestServer): Promise<JSONWebKeySet> {
  const res = await fetch(`${s.url}/api/authz/v3/oauth/jwks`);
  expect(res.status).toBe(200);
  return (await res.json()) as JSONWebKeySet;
}

async function issueTokens(s: TestServer, npsso: string): Promise<{ access: string; id: string; refresh: string }> {
  const code = codeFrom((await authorize(s.url, npsso, { client_id: PSN.clientId, redirect_uri: PSN.redirectUri, response_type: 'code', scope: `${PSN.scope} openid`, access_type: 'offline' })).location);
  const res = await tokenRequest(s.url, { code, grant_type: 'authorization_code', redirect_uri: PSN.redirectUri }, basic(PSN.clientId, PSN.clientSecret));
  expect(res.status).toBe(200);
  return { access: res.body.access_token as string, id: res.body.id_token as string, refresh: res.body.refresh_token as string };
}

describe('signing key rotation', () => {
  let s: TestServer;
  let npsso: string;
  let clock = Date.now();
  const KEY_CACHE_SEC = 5;

  beforeAll(async () => {
    // The commands read the same configuration as the server, as they would in a deployment.
    process.env.KEYTURN_KEY_CACHE = String(KEY_CACHE_SEC);
    // A controllable clock: the key cache and token expiry are crossed without sleeping.
    s = await startTestServer({ now: () => clock, env: { KEYTURN_KEY_CACHE: String(KEY_CACHE_SEC) }, config: { gcIntervalSec: 0 } });
    await s.addUser('ada@example.com', PASSWORD);
    await s.addClient({ id: PSN.clientId, secret: PSN.clientSecret, redirectUris: [PSN.redirectUri], scope: `${PSN.scope} openid` });
    npsso = await s.signIn('ada@example.com', PASSWORD);
  });
  afterAll(async () => {
    delete process.env.KEYTURN_KEY_CACHE;
    await s.close();
  });

  it('keeps tokens signed before a rotation verifiable, picks up a rotation made by another process, and prunes only after they expire', async () => {
    const before = await issueTokens(s, npsso);
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
    clock += (KEY_CACHE_SEC + 1) * 1000;
    const published = await jwks(s);
    expect(published.keys.map((k) => [k.kid, k.alg]).sort()).toEqual([[newKid, 'ES256'], [oldKid, 'RS256']].sort());

    const after = await issueTokens(s, npsso);
    expect(decodeProtectedHeader(after.access)).toMatchObject({ kid: newKid, alg: 'ES256', typ: 'at+jwt' });
    expect(decodeProtectedHeader(after.id)).toMatchObject({ kid: newKid, alg: 'ES256' });

    // Both generations verify with the JWKS a relying party fetches from the server.
    const set = createLocalJWKSet(published);
    const options = { issuer: s.issuer, currentDate: new Date(clock), algorithms: ['RS256', 'ES256'] };
    const old = await jwtVerify(before.access, set, { ...options, typ: 'at+jwt' });
    expect(old.payload.client_id).toBe(PSN.clientId);
    expect((await jwtVerify(before.id, set, { ...options, audience: PSN.clientId })).payload.iss).toBe(s.issuer);
    expect((await jwtVerify(after.access, set, { ...options, typ: 'at+jwt' })).payload.client_id).toBe(PSN.clientId);

    // A refresh token issued under the old key keeps working; the new access token uses the new key.
    const refreshed = await tokenRequest(s.url, { grant_type: 'refresh_token', refresh_token: before.refresh }, basic(PSN.clientId, PSN.clientSecret));
    expect(refreshed.status).toBe(200);
    expect(decodeProtectedHeader(refreshed.body.access_token as string).kid).toBe(newKid);

    // Too early to prune: the old key may still have signed a live token.
    const early = await keyturn(s, 'keys', 'prune');
    expect(early).toMatchObject({ code: 0, out: 'no retired key can be pruned yet\n' });
    await s.server.housekeeping();
    expect((await jwks(s)).keys.map((k) => k.kid).sort()).toEqual([newKid, oldKid].sort());

    const listed = await keyturn(s, 'keys', 'list');
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
    clock += (3600 + KEY_CACHE_SEC + 60) * 1000;
    await s.server.housekeeping();
    const later = await jwks(s);
    expect(later.keys.map((k) => k.kid)).toEqual([newKid]);
    await expect(jwtVerify(before.access, createLocalJWKSet(later), { issuer: s.issuer, currentDate: new Date(clock - 3700_000 - 60_000) })).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });
});

describe('two servers on one database, one of them rotates', () => {
  it('verifies on the other server, at once, tokens signed with the key it has not cached yet (regression: introspection said inactive for up to 30 s)', async () => {
    const clock = Date.now();
    const config = { issuer: 'http://keyturn.test', issuerFromAddress: false, gcIntervalSec: 0 };
    // Default key cache (30 s) and a frozen clock: only the unknown kid can make `a` re-read its keys.
    const a = await startTestServer({ now: () => clock, config });
    const b = await startTestServer({ now: () => clock, config: { ...config, database: a.database } });
    try {
      await a.addUser('ada@example.com', PASSWORD);
      await a.addClient({ id: PSN.clientId, secret: PSN.clientSecret, redirectUris: [PSN.redirectUri], scope: `${PSN.scope} openid` });
      const npsso = await a.signIn('ada@example.com', PASSWORD);
      const oldKid = decodeProtectedHeader((await issueTokens(a, npsso)).access).kid;
      const rotated = await b.kt.keys.rotate('EdDSA');
      const fresh = await issueTokens(b, npsso);
      expect(decodeProtectedHeader(fresh.access).kid).toBe(rotated.kid);
      expect(rotated.kid).not.toBe(oldKid);

      const info = await fetch(`${a.url}/api/authz/v3/oauth/userinfo`, { headers: { authorization: `Bearer ${fresh.access}` } });
      expect(info.status).toBe(200);
      expect(((await info.json()) as { sub: string }).sub).toMatch(/^[0-9a-f-]{36}$/);
      const introspection = await fetch(`${a.url}/api/authz/v3/oauth/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(PSN.clientId, PSN.clientSecret) },
        body: new URLSearchParams({ token: fresh.access }).toString(),
      });
      expect(await introspection.json()).toMatchObject({ active: true, client_id: PSN.clientId });
      // Having re-read, `a` now publishes and signs with the new key as well.
      expect((await jwks(a)).keys.map((k) => k.kid).sort()).toEqual([oldKid, rotated.kid].sort());
      expect(decodeProtectedHeader((await issueTokens(a, npsso)).access).kid).toBe(rotated.kid);
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describe('periodic housekeeping prunes retired keys while serving', () => {
  it('drops an expired retired key without any command, on the gc timer', async () => {
    let clock = Date.now();
    const s = await startTestServer({ now: () => clock, env: { KEYTURN_KEY_CACHE: '0' }, config: { gcIntervalSec: 1 } });
    try {
      const old = (await s.kt.keys.list())[0]!;
      const fresh = await s.kt.keys.rotate('EdDSA');
      expect((await jwks(s)).keys.map((k) => k.kid).sort()).toEqual([old.kid, fresh.kid].sort());
      clock += 3601_000;
      await vi.waitFor(async () => expect((await jwks(s)).keys.map((k) => [k.kid, k.alg])).toEqual([[fresh.kid, 'EdDSA']]), { timeout: 5000, interval: 100 });
    } finally {
      await s.close();
    }
  });
});

describe('keyturn keys: usage', () => {
  it('prints help for keys, rotate, prune and list', async () => {
    for (const args of [['keys', '--help'], ['keys', 'rotate', '--help'], ['keys', 'prune', '--help'], ['keys', 'list', '--help']]) {
      const r = await keyturn(null, ...args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: keyturn keys/);
    }
    expect((await keyturn(null, 'keys', 'rotate', '--help')).out).toContain('--alg <alg>');
  });

  it('exits 2 on an unknown algorithm or flag, and changes nothing', async () => {
    const s = await startTestServer({ config: { gcIntervalSec: 0 } });
    try {
      const kids = (await s.kt.keys.list()).map((k) => k.kid);
      const badAlg = await keyturn(s, 'keys', 'rotate', '--alg', 'HS256');
      expect(badAlg.code).toBe(2);
      expect(badAlg.err).toContain("argument 'HS256' is invalid. Allowed choices are RS256, ES256, EdDSA");
      expect((await keyturn(s, 'keys', 'prune', '--force')).code).toBe(2);
      expect((await keyturn(s, 'keys', 'list', '--bogus')).code).toBe(2);
      expect((await keyturn(s, 'keys', 'rotate', '--alg')).code).toBe(2);
      expect((await s.kt.keys.list()).map((k) => k.kid)).toEqual(kids);
    } finally {
      await s.close();
    }
  });

  it('prunes with keyturn keys prune once the retired key has outlived its tokens', async () => {
    process.env.KEYTURN_ACCESS_TOKEN_TTL = '1';
    process.env.KEYTURN_KEY_CACHE = '0';
    const s = await startTestServer({ config: { gcIntervalSec: 0 } });
    try {
      const old = (await s.kt.keys.list())[0]!;
      expect((await keyturn(s, 'keys', 'rotate')).code).toBe(0);
      expect((await keyturn(s, 'keys', 'prune')).out).toBe('no retired key can be pruned yet\n');
      await new Promise((r) => setTimeout(r, 1100));
      const pruned = await keyturn(s, 'keys', 'prune');
      expect(pruned).toMatchObject({ code: 0, out: `pruned ${old.kid}\n` });
      expect((await s.kt.keys.list()).map((k) => k.status)).toEqual(['active']);
    } finally {
      delete process.env.KEYTURN_ACCESS_TOKEN_TTL;
      delete process.env.KEYTURN_KEY_CACHE;
      await s.close();
    }
  });

  it('rotates to the configured algorithm when --alg is not given', async () => {
    const s = await startTestServer({ config: { gcIntervalSec: 0 } });
    try {
      const r = await keyturn(s, 'keys', 'rotate');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/new active signing key [0-9a-f-]{36} \(RS256\)/);
      const keys = await s.kt.keys.list();
      expect(keys.map((k) => k.status).sort()).toEqual(['active', 'retired']);
    } finally {
      await s.close();
    }
  });
});
