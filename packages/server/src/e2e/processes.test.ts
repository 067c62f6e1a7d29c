/**
 * Many machines, for real: two `keyturn serve` processes (the built bin, separate memory) on one
 * fresh PostgreSQL database and one Redis, with the same secret and issuer, as behind a load
 * balancer. Users and clients come from the CLI; every step of a token's life happens on
 * whichever process the test picks, and the sign-in failure counter is shared through Redis.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ENV, freePort, keyturn, prepareDatabase } from '../test-support/cli.js';
import { credentials } from '../test-support/clients.js';
import { createTestPostgresDatabase } from '../test-support/databases.js';
import { introspect, jwks, revoke } from '../test-support/endpoints.js';
import { cookieValue, csrfFrom, FORM, raw, type Answer } from '../test-support/http.js';
import { authorize, codeFrom, refresh, tokenRequest } from '../test-support/oauth.js';
import { METADATA_PATHS, PATHS } from '../test-support/paths.js';
import { PASSWORD, uniqueEmail } from '../test-support/people.js';
import { openRedisSandbox, type RedisSandbox } from '../test-support/redis.js';
import { signInThroughForm } from '../test-support/server.js';
import { requireBuiltCli, startServe, START_TIMEOUT_MS, stop, STOP_TIMEOUT_MS, type ServeProcess } from '../test-support/serveProcess.js';

const ISSUER = 'http://keyturn.test';
const APP = { id: 'fleet-app', secret: 'fleet-secret-0123456789abcdef', redirect: 'https://fleet.example/cb', scope: 'openid offline_access' };
const CLIENT = credentials(APP.id, APP.secret, APP.redirect);
const ADA = { email: uniqueEmail('ada'), password: PASSWORD };
const EVE = { email: uniqueEmail('eve'), password: 'eve-password-not-guessed' };
/** loadConfig's fixed sign-in limits: answers slowed from the 5th failure, refused from the 10th. */
const LOCK_AFTER = 10;

/** Loads the sign-in form from `formFrom` and posts it to `postTo`, both from the address `from`. */
async function signInAcross(formFrom: string, postTo: string, from: string, email: string, password: string): Promise<Answer> {
  const form = await raw(`${formFrom}/signin`, { from });
  const seed = cookieValue(form.headers['set-cookie'] ?? [], 'kt_csrf');
  const csrf = csrfFrom(form.body);
  if (!seed || !csrf) throw new Error('no CSRF token on the form');
  return raw(`${postTo}/signin`, { from, method: 'POST', headers: { ...FORM, cookie: `kt_csrf=${seed}` }, body: new URLSearchParams({ email, password, csrf }).toString() });
}

describe('two `keyturn serve` processes on one PostgreSQL database and one Redis', () => {
  let r: RedisSandbox | undefined;
  const dirs: string[] = [];
  let db: { url: string; drop(): Promise<void> } | undefined;
  let a: ServeProcess | undefined;
  let b: ServeProcess | undefined;
  let stopped = false;
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    requireBuiltCli();
    r = await openRedisSandbox();
    db = await createTestPostgresDatabase();
    env = {
      ...ENV,
      KEYTURN_SECRET: `fleet-secret-${randomBytes(16).toString('hex')}`,
      KEYTURN_REDIS_PREFIX: r.prefix,
      KEYTURN_LOG_LEVEL: 'warn',
    };
    const dataDir = () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'keyturn-fleet-'));
      dirs.push(dir);
      return dir;
    };
    // The schema as a first `serve` (or `keyturn migrate`) leaves it; then the CLI adds the people and the client before any server runs.
    await prepareDatabase({ database: db.url });
    const store = ['--database', db.url, '--data-dir', dataDir()];
    for (const user of [ADA, EVE]) {
      expect(await keyturn(['user', 'add', '--email', user.email, '--password-stdin', ...store], { env, stdin: user.password })).toMatchObject({ code: 0, stderr: '' });
    }
    const added = await keyturn(['client', 'add', '--id', APP.id, '--secret', APP.secret, '--redirect-uri', APP.redirect, '--scope', APP.scope, ...store], { env });
    expect(added).toMatchObject({ code: 0, stderr: '' });
    // Both start at once, each with its own (empty) data folder: nothing is shared but the
    // database, Redis, the secret and the public issuer.
    const serve = () => startServe(['--database', db!.url, '--redis', r!.url, '--issuer', ISSUER, '--data-dir', dataDir()], env);
    const [first, second] = await Promise.allSettled([serve(), serve()]);
    if (first.status === 'fulfilled') a = first.value;
    if (second.status === 'fulfilled') b = second.value;
    if (first.status === 'rejected') throw first.reason;
    if (second.status === 'rejected') throw second.reason;
  }, 3 * START_TIMEOUT_MS);

  afterAll(async () => {
    if (!stopped) await Promise.all([a, b].map((p) => (p ? stop(p) : undefined)));
    await r?.drop();
    await db?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }, 2 * STOP_TIMEOUT_MS + 30_000);

  it('runs as two separate processes on two ports with one issuer and, started at once on an empty database, one active key (regression: each created its own and one published a JWKS without the active key for 30 s)', async () => {
    expect(a!.pid).not.toBe(b!.pid);
    expect(a!.url).not.toBe(b!.url);
    for (const p of [a!, b!]) {
      const meta = (await (await fetch(p.url + METADATA_PATHS[0])).json()) as Record<string, unknown>;
      expect(meta.issuer).toBe(ISSUER);
      expect(meta.token_endpoint).toBe(ISSUER + PATHS.token);
    }
    // Both created a first key at the same time; within a few seconds (not KEYTURN_KEY_CACHE's
    // 30) both publish the same set, which holds the one active key.
    const deadline = Date.now() + 10_000;
    let keySets: Awaited<ReturnType<typeof jwks>>[];
    do {
      keySets = await Promise.all([a!, b!].map((p) => jwks(p)));
      if (JSON.stringify(keySets[0]) === JSON.stringify(keySets[1])) break;
      await new Promise((r) => setTimeout(r, 250));
    } while (Date.now() < deadline);
    expect(keySets[1]).toEqual(keySets[0]);
    const listed = await keyturn(['keys', 'list', '--database', db!.url, '--data-dir', dirs[0]!], { env });
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const active = listed.stdout.split('\n').filter((line) => /\sactive\s/.test(line)).map((line) => line.split(/\s+/)[0]);
    expect(active).toHaveLength(1);
    expect(keySets[0]!.keys.map((k) => k.kid)).toContain(active[0]);
  }, 30_000);

  it('signs in on A, authorizes on B, exchanges on A, refreshes on B, introspects on A, revokes on B, and A then refuses the refresh', async () => {
    const npsso = await signInThroughForm(a!.url, ADA.email, ADA.password);
    expect(npsso).toMatch(/^[A-Za-z0-9_-]{64}$/);

    const auth = await authorize(b!, npsso, { client_id: APP.id, redirect_uri: APP.redirect, response_type: 'code', scope: APP.scope, state: 'fleet' });
    expect(auth.status).toBe(302);
    expect(auth.location).toMatch(/^https:\/\/fleet\.example\/cb\?code=v3\.[A-Za-z0-9_-]{43}&state=fleet&iss=http%3A%2F%2Fkeyturn\.test$/);

    const issued = await tokenRequest(a!, { grant_type: 'authorization_code', code: codeFrom(auth.location), redirect_uri: APP.redirect }, CLIENT.auth);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: APP.scope, refresh_token_expires_in: 60 * 86_400 });
    const refreshToken = issued.body.refresh_token as string;
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const refreshed = await refresh(b!, CLIENT, refreshToken);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBe(refreshToken); // the reuse policy: the same token back
    expect(refreshed.body.access_token).not.toBe(issued.body.access_token);

    // A verifies what B signed (one key in the database) and finds the grant B refreshed.
    const onA = await introspect(a!, CLIENT, refreshed.body.access_token as string);
    expect(onA).toMatchObject({ active: true, client_id: APP.id, scope: APP.scope, iss: ISSUER, token_type: 'Bearer' });
    expect(onA.sub).toBe((await introspect(a!, CLIENT, refreshToken)).sub);
    expect(await introspect(a!, CLIENT, refreshToken)).toMatchObject({ active: true, client_id: APP.id, scope: APP.scope });

    const revoked = await revoke(b!, CLIENT, refreshToken, { token_type_hint: 'refresh_token' });
    expect(revoked.status).toBe(200);

    const refused = await refresh(a!, CLIENT, refreshToken);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_grant');
    expect(await introspect(a!, CLIENT, refreshToken)).toEqual({ active: false });
    expect(await introspect(a!, CLIENT, refreshed.body.access_token as string)).toEqual({ active: false });
  }, 60_000);

  it('adds up failed sign-ins on A and B in Redis and locks the account on both', async () => {
    const acctKey = async () => {
      const keys = await r!.redis.keys(`${r!.prefix}login:acct:*`);
      expect(keys).toHaveLength(1);
      return keys[0]!;
    };
    // Each failure from its own address, so only the account counter can reach the limit;
    // each form is loaded from the other process (the CSRF token is shared through the secret).
    const fail = (n: number, formFrom: ServeProcess, postTo: ServeProcess) => signInAcross(formFrom.url, postTo.url, `127.0.7.${n}`, EVE.email, `wrong-${n}`);
    const half = LOCK_AFTER / 2;
    const onA = await Promise.all(Array.from({ length: half }, (_, i) => fail(i + 1, b!, a!)));
    expect(onA.map((r) => r.status)).toEqual(Array(half).fill(401));
    expect(await r!.redis.get(await acctKey())).toBe(String(half));
    // B adds its failures to the count A left in Redis.
    const onB = await Promise.all(Array.from({ length: half }, (_, i) => fail(half + i + 1, a!, b!)));
    expect(onB.map((r) => r.status)).toEqual(Array(half).fill(401));
    expect(await r!.redis.get(await acctKey())).toBe(String(LOCK_AFTER));
    expect(await r!.redis.pttl(await acctKey())).toBeGreaterThan(0);

    // Now the right password is refused on both, from an address that never failed.
    for (const p of [a!, b!]) {
      const locked = await signInAcross(p.url, p.url, '127.0.7.200', EVE.email, EVE.password);
      expect(locked.status).toBe(429);
      expect(locked.headers['retry-after']).toBe(String(15 * 60));
      expect(cookieValue(locked.headers['set-cookie'] ?? [], 'npsso')).toBeUndefined();
    }
    // Another person is not affected.
    expect(await signInThroughForm(b!.url, ADA.email, ADA.password)).toMatch(/^[A-Za-z0-9_-]{64}$/);
    // Only this run's prefix was written to.
    expect((await r!.redis.keys(`${r!.prefix}*`)).every((k) => k.startsWith(`${r!.prefix}login:`))).toBe(true);
  }, 90_000);

  it('stops both processes on SIGTERM with exit code 0 and no error logged', async () => {
    const codes = await Promise.all([stop(a!), stop(b!)]);
    stopped = true;
    expect(codes).toEqual([0, 0]);
    for (const p of [a!, b!]) {
      // warn level: only warnings and errors are printed; no error is expected.
      expect(p.output()).not.toMatch(/"level":(50|60)/);
    }
    // The one warning: the failure that locked Eve's account (on whichever process counted it).
    const warnings = [a!, b!].flatMap((p) => p.output().split('\n').filter((l) => /"level":40/.test(l)));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ event: 'signin.locked' });
  }, 2 * STOP_TIMEOUT_MS + 5_000);
});
