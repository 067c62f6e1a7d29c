/**
 * The one conformance suite of `Repository`, run against SQLite and the real PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, createTestSqlitePath, forEachBackend } from '../test-support/databases.js';
import { openRepository } from './open.js';
import { DuplicateError, NotFoundError } from './errors.js';
import type {
  AuthCodeRecord,
  ClientRecord,
  GrantRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  SsoSessionRecord,
  UserRecord,
} from './records.js';
import type { Repository } from './repository.js';

const CHILD = fileURLToPath(new URL('../test-support/openRepositoryChild.ts', import.meta.url));
// vite-node comes with vitest; it runs the child's TypeScript as the tests run theirs.
const VITE_NODE = join(dirname(createRequire(import.meta.url).resolve('vite-node')), '..', 'vite-node.mjs');

/** Opens the repository at `target` in another Node process; resolves with its exit code. */
function runChild(target: string, userId: string): Promise<number | null> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [VITE_NODE, CHILD, target, userId], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise(code));
  });
}

// Past 2^31 on purpose: epoch-ms times must survive int8 columns as exact JS numbers.
const T0 = 1_760_000_000_000;
const HOUR = 3_600_000;

const hash = (label: string): string => createHash('sha256').update(label).digest('hex');

function user(over: Partial<UserRecord> = {}): UserRecord {
  return {
    id: 'u1',
    email: 'ada@example.com',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    name: 'Ada Lovelace',
    createdAt: T0,
    ...over,
  };
}

function client(over: Partial<ClientRecord> = {}): ClientRecord {
  return {
    id: 'app',
    name: 'The App',
    secretHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$c2VjcmV0',
    redirectUris: ['com.example.app://redirect', 'https://app.example/cb?x=1&y=é'],
    scopes: ['openid', 'psn:mobile.v2.core', 'offline_access'],
    refreshPolicy: 'rotate',
    refreshTtlSec: 5_184_000,
    refreshIdleTtlSec: 1_209_600,
    createdAt: T0,
    ...over,
  };
}

function session(over: Partial<SsoSessionRecord> = {}): SsoSessionRecord {
  return {
    id: 's1',
    tokenHash: hash('sso1'),
    userId: 'u1',
    authTime: T0 - 5_000,
    createdAt: T0,
    expiresAt: T0 + 60 * 24 * HOUR,
    revokedAt: null,
    userAgent: 'Mozilla/5.0 (test)',
    ...over,
  };
}

function code(over: Partial<AuthCodeRecord> = {}): AuthCodeRecord {
  return {
    codeHash: hash('code1'),
    clientId: 'app',
    userId: 'u1',
    ssoSessionId: 's1',
    redirectUri: 'com.example.app://redirect',
    redirectUriGiven: true,
    scope: 'openid psn:mobile.v2.core',
    nonce: 'n-0S6_WzA2Mj',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
    offline: true,
    authTime: T0 - 5_000,
    createdAt: T0,
    expiresAt: T0 + 60_000,
    consumedAt: null,
    grantId: null,
    ...over,
  };
}

function grant(over: Partial<GrantRecord> = {}): GrantRecord {
  return {
    id: 'g1',
    clientId: 'app',
    userId: 'u1',
    ssoSessionId: 's1',
    scope: 'openid psn:mobile.v2.core',
    authTime: T0 - 5_000,
    createdAt: T0,
    expiresAt: T0 + 60 * 24 * HOUR,
    lastUsedAt: T0,
    revokedAt: null,
    revokedReason: null,
    userAgent: 'Mozilla/5.0 (test)',
    ...over,
  };
}

function refreshToken(over: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    tokenHash: hash('rt1'),
    grantId: 'g1',
    parentHash: null,
    createdAt: T0,
    expiresAt: T0 + 60 * 24 * HOUR,
    spentAt: null,
    successorHash: null,
    ...over,
  };
}

function signingKey(over: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  return {
    kid: 'k1',
    alg: 'RS256',
    privateKeyEnc: 'kt1.1.aGVsbG8.d29ybGQ',
    publicJwk: '{"kty":"RSA","n":"abc","e":"AQAB"}',
    createdAt: T0,
    status: 'retired',
    retiredAt: null,
    ...over,
  };
}

/** A user, a client and an SSO session: what codes and grants point at. */
async function seed(repo: Repository): Promise<void> {
  await repo.createUser(user());
  await repo.createClient(client());
  await repo.createSsoSession(session());
}

forEachBackend('Repository', (ctx) => {
  describe('users', () => {
    it('stores a user and finds it by email and by id with every field intact', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com', name: null, createdAt: T0 + 1 }));
      expect(await ctx.repo.findUserByEmail('ada@example.com')).toEqual(user());
      expect(await ctx.repo.findUserById('u2')).toEqual(
        user({ id: 'u2', email: 'bob@example.com', name: null, createdAt: T0 + 1 }),
      );
    });

    it('answers null for an unknown email or id', async () => {
      await ctx.repo.createUser(user());
      expect(await ctx.repo.findUserByEmail('nobody@example.com')).toBeNull();
      expect(await ctx.repo.findUserById('nope')).toBeNull();
    });

    it('refuses a second user with the same email with a DuplicateError that does not name the email', async () => {
      await ctx.repo.createUser(user());
      const err = await ctx.repo.createUser(user({ id: 'u2' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DuplicateError);
      expect((err as DuplicateError).code).toBe('ERR_DUPLICATE');
      expect((err as Error).message).not.toContain('ada@example.com');
      expect((err as Error).message).not.toMatch(/insert|values|constraint/i);
      expect(await ctx.repo.findUserById('u2')).toBeNull();
    });

    it('refuses a second user with the same id with a DuplicateError', async () => {
      await ctx.repo.createUser(user());
      await expect(ctx.repo.createUser(user({ email: 'other@example.com' }))).rejects.toBeInstanceOf(DuplicateError);
    });
  });

  describe('clients', () => {
    it('stores a client with its redirect URIs and scopes byte for byte', async () => {
      await ctx.repo.createClient(client());
      expect(await ctx.repo.getClient('app')).toEqual(client());
    });

    it('stores a public client with null secret, reuse policy and default lifetimes', async () => {
      const pub = client({ id: 'pub', secretHash: null, refreshPolicy: 'reuse', refreshTtlSec: null, refreshIdleTtlSec: null, name: null, scopes: [] });
      await ctx.repo.createClient(pub);
      expect(await ctx.repo.getClient('pub')).toEqual(pub);
    });

    it('lists clients oldest first', async () => {
      await ctx.repo.createClient(client({ id: 'b', createdAt: T0 + 2 }));
      await ctx.repo.createClient(client({ id: 'a', createdAt: T0 + 1 }));
      await ctx.repo.createClient(client({ id: 'c', createdAt: T0 + 3 }));
      expect((await ctx.repo.listClients()).map((c) => c.id)).toEqual(['a', 'b', 'c']);
      expect((await ctx.repo.listClients())[0]).toEqual(client({ id: 'a', createdAt: T0 + 1 }));
    });

    it('refuses a duplicate client id with a DuplicateError', async () => {
      await ctx.repo.createClient(client());
      const err = await ctx.repo.createClient(client({ name: 'again' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DuplicateError);
      expect((err as DuplicateError).code).toBe('ERR_DUPLICATE');
      expect((await ctx.repo.getClient('app'))?.name).toBe('The App');
    });

    it('deletes a client once, answering true then false, and answers null for it afterwards', async () => {
      await ctx.repo.createClient(client());
      expect(await ctx.repo.deleteClient('app')).toBe(true);
      expect(await ctx.repo.deleteClient('app')).toBe(false);
      expect(await ctx.repo.getClient('app')).toBeNull();
      expect(await ctx.repo.listClients()).toEqual([]);
    });

    it('deletes the grants and refresh tokens of a deleted client', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      expect(await ctx.repo.deleteClient('app')).toBe(true);
      expect(await ctx.repo.getGrant('g1')).toBeNull();
      expect(await ctx.repo.findRefreshToken(hash('rt1'))).toBeNull();
    });
  });

  describe('SSO sessions', () => {
    it('finds a session by its token hash with every field intact', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.createSsoSession(session());
      expect(await ctx.repo.findSsoSessionByHash(hash('sso1'))).toEqual(session());
      expect(await ctx.repo.findSsoSessionByHash(hash('other'))).toBeNull();
    });

    it('revokes a session once and keeps the first revocation time', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.createSsoSession(session());
      await ctx.repo.revokeSsoSession('s1', T0 + 10);
      await ctx.repo.revokeSsoSession('s1', T0 + 20);
      expect(await ctx.repo.findSsoSessionByHash(hash('sso1'))).toEqual(session({ revokedAt: T0 + 10 }));
    });

    it('lists only the unrevoked, unexpired sessions of the user, newest first', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com' }));
      const now = T0 + HOUR;
      const s = (id: string, over: Partial<SsoSessionRecord> = {}) => session({ id, tokenHash: hash(id), ...over });
      await ctx.repo.createSsoSession(s('old', { createdAt: T0 }));
      await ctx.repo.createSsoSession(s('new', { createdAt: T0 + 10, userAgent: null }));
      await ctx.repo.createSsoSession(s('revoked', { createdAt: T0 + 20, revokedAt: T0 + 30 }));
      await ctx.repo.createSsoSession(s('expired', { createdAt: T0 + 40, expiresAt: now - 1 }));
      await ctx.repo.createSsoSession(s('ends-now', { createdAt: T0 + 50, expiresAt: now }));
      await ctx.repo.createSsoSession(s('bobs', { userId: 'u2', createdAt: T0 + 60 }));
      const list = await ctx.repo.listActiveSsoSessionsForUser('u1', now);
      expect(list.map((x) => x.id)).toEqual(['new', 'old']);
      expect(list[0]).toEqual(s('new', { createdAt: T0 + 10, userAgent: null }));
      expect(list[1]).toEqual(s('old', { createdAt: T0 }));
      expect(await ctx.repo.listActiveSsoSessionsForUser('nobody', now)).toEqual([]);
    });

    it('revokes every live session of a user but the one spared, counts them, and touches no one else', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com' }));
      const s = (id: string, over: Partial<SsoSessionRecord> = {}) => session({ id, tokenHash: hash(id), ...over });
      await ctx.repo.createSsoSession(s('here'));
      await ctx.repo.createSsoSession(s('a'));
      await ctx.repo.createSsoSession(s('b'));
      await ctx.repo.createSsoSession(s('earlier', { revokedAt: T0 + 1 }));
      await ctx.repo.createSsoSession(s('expired', { expiresAt: T0 + 2 }));
      await ctx.repo.createSsoSession(s('bobs', { userId: 'u2' }));
      expect(await ctx.repo.revokeSsoSessionsForUser('u1', T0 + 7, 'here')).toBe(2);
      expect(await ctx.repo.revokeSsoSessionsForUser('u1', T0 + 8, 'here')).toBe(0);
      expect(await ctx.repo.findSsoSessionByHash(hash('a'))).toEqual(s('a', { revokedAt: T0 + 7 }));
      expect(await ctx.repo.findSsoSessionByHash(hash('b'))).toEqual(s('b', { revokedAt: T0 + 7 }));
      expect((await ctx.repo.findSsoSessionByHash(hash('here')))?.revokedAt).toBeNull();
      expect((await ctx.repo.findSsoSessionByHash(hash('earlier')))?.revokedAt).toBe(T0 + 1);
      expect((await ctx.repo.findSsoSessionByHash(hash('expired')))?.revokedAt).toBeNull();
      expect((await ctx.repo.findSsoSessionByHash(hash('bobs')))?.revokedAt).toBeNull();
      expect((await ctx.repo.listActiveSsoSessionsForUser('u1', T0 + 9)).map((x) => x.id)).toEqual(['here']);
    });

    it('revokes every live session of a user when none is spared', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.createSsoSession(session());
      await ctx.repo.createSsoSession(session({ id: 's2', tokenHash: hash('sso2') }));
      expect(await ctx.repo.revokeSsoSessionsForUser('u1', T0 + 7, null)).toBe(2);
      expect(await ctx.repo.listActiveSsoSessionsForUser('u1', T0 + 8)).toEqual([]);
    });
  });

  describe('authorization codes', () => {
    it('consumes a code once: firstUse true with consumedAt set, then false with the same consumedAt', async () => {
      await seed(ctx.repo);
      await ctx.repo.createAuthCode(code());
      expect(await ctx.repo.consumeAuthCode(hash('code1'), T0 + 100)).toEqual({
        code: code({ consumedAt: T0 + 100 }),
        firstUse: true,
      });
      expect(await ctx.repo.consumeAuthCode(hash('code1'), T0 + 200)).toEqual({
        code: code({ consumedAt: T0 + 100 }),
        firstUse: false,
      });
    });

    it('keeps an online code without PKCE, nonce or session as stored', async () => {
      await seed(ctx.repo);
      const plain = code({ offline: false, nonce: null, codeChallenge: null, codeChallengeMethod: null, ssoSessionId: null });
      await ctx.repo.createAuthCode(plain);
      expect((await ctx.repo.consumeAuthCode(plain.codeHash, T0 + 1))?.code).toEqual({ ...plain, consumedAt: T0 + 1 });
    });

    it('answers null when consuming an unknown code', async () => {
      expect(await ctx.repo.consumeAuthCode(hash('nope'), T0)).toBeNull();
    });

    it('gives firstUse to exactly one of 20 concurrent consumers, across two repositories', async () => {
      await seed(ctx.repo);
      await ctx.repo.createAuthCode(code());
      const other = await ctx.openAnother();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? ctx.repo : other).consumeAuthCode(hash('code1'), T0 + 1_000 + i)),
      );
      const winners = results.filter((r) => r?.firstUse === true);
      expect(winners).toHaveLength(1);
      const consumedAt = winners[0]?.code.consumedAt;
      expect(typeof consumedAt).toBe('number');
      for (const r of results) expect(r?.code.consumedAt).toBe(consumedAt);
    });
  });

  describe('grants', () => {
    it('creates a grant, its first refresh token and links the code, in one call', async () => {
      await seed(ctx.repo);
      await ctx.repo.createAuthCode(code());
      await ctx.repo.consumeAuthCode(hash('code1'), T0 + 1);
      await ctx.repo.createGrant(grant(), refreshToken(), hash('code1'));
      expect(await ctx.repo.getGrant('g1')).toEqual(grant());
      expect(await ctx.repo.findRefreshToken(hash('rt1'))).toEqual(refreshToken());
      expect((await ctx.repo.consumeAuthCode(hash('code1'), T0 + 2))?.code.grantId).toBe('g1');
    });

    it('creates a grant without refresh token or code', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant({ ssoSessionId: null, userAgent: null }), null, null);
      expect(await ctx.repo.getGrant('g1')).toEqual(grant({ ssoSessionId: null, userAgent: null }));
      expect(await ctx.repo.getGrant('g2')).toBeNull();
    });

    it('leaves no grant behind when its refresh token cannot be inserted (one transaction)', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      await expect(ctx.repo.createGrant(grant({ id: 'g2' }), refreshToken({ grantId: 'g2' }), null)).rejects.toThrow();
      expect(await ctx.repo.getGrant('g2')).toBeNull();
      expect((await ctx.repo.findRefreshToken(hash('rt1')))?.grantId).toBe('g1');
    });

    it('lists only the unrevoked, unexpired grants of the user, newest first', async () => {
      await seed(ctx.repo);
      await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com' }));
      const now = T0 + HOUR;
      await ctx.repo.createGrant(grant({ id: 'old', createdAt: T0 }), null, null);
      await ctx.repo.createGrant(grant({ id: 'new', createdAt: T0 + 10 }), null, null);
      await ctx.repo.createGrant(grant({ id: 'revoked', createdAt: T0 + 20, revokedAt: T0 + 30, revokedReason: 'logout' }), null, null);
      await ctx.repo.createGrant(grant({ id: 'expired', createdAt: T0 + 40, expiresAt: now - 1 }), null, null);
      await ctx.repo.createGrant(grant({ id: 'ends-now', createdAt: T0 + 50, expiresAt: now }), null, null);
      await ctx.repo.createGrant(grant({ id: 'bobs', userId: 'u2', createdAt: T0 + 60 }), null, null);
      const list = await ctx.repo.listActiveGrantsForUser('u1', now);
      expect(list.map((g) => g.id)).toEqual(['new', 'old']);
      expect(list[0]).toEqual(grant({ id: 'new', createdAt: T0 + 10 }));
    });

    it('revokes a grant once: true with the reason stored, then false with the first reason kept', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), null, null);
      expect(await ctx.repo.revokeGrant('g1', T0 + 5, 'refresh_token_reuse')).toBe(true);
      expect(await ctx.repo.revokeGrant('g1', T0 + 9, 'logout')).toBe(false);
      expect(await ctx.repo.revokeGrant('missing', T0 + 9, 'logout')).toBe(false);
      expect(await ctx.repo.getGrant('g1')).toEqual(grant({ revokedAt: T0 + 5, revokedReason: 'refresh_token_reuse' }));
    });

    it('revokes every unrevoked grant of a user and counts them', async () => {
      await seed(ctx.repo);
      await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com' }));
      await ctx.repo.createGrant(grant({ id: 'a' }), null, null);
      await ctx.repo.createGrant(grant({ id: 'b' }), null, null);
      await ctx.repo.createGrant(grant({ id: 'c', revokedAt: T0, revokedReason: 'earlier' }), null, null);
      await ctx.repo.createGrant(grant({ id: 'd', userId: 'u2' }), null, null);
      expect(await ctx.repo.revokeGrantsForUser('u1', T0 + 7, 'password_changed')).toBe(2);
      expect(await ctx.repo.revokeGrantsForUser('u1', T0 + 8, 'again')).toBe(0);
      expect(await ctx.repo.getGrant('a')).toEqual(grant({ id: 'a', revokedAt: T0 + 7, revokedReason: 'password_changed' }));
      expect((await ctx.repo.getGrant('c'))?.revokedReason).toBe('earlier');
      expect((await ctx.repo.getGrant('d'))?.revokedAt).toBeNull();
    });

    it('touches lastUsedAt forward and never backward', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), null, null);
      await ctx.repo.touchGrant('g1', T0 + 500);
      expect((await ctx.repo.getGrant('g1'))?.lastUsedAt).toBe(T0 + 500);
      await ctx.repo.touchGrant('g1', T0 + 100);
      expect((await ctx.repo.getGrant('g1'))?.lastUsedAt).toBe(T0 + 500);
    });
  });

  describe('refresh tokens', () => {
    it('spends an unspent token: marks it spent with its successor and inserts the successor', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      const next = refreshToken({ tokenHash: hash('rt2'), parentHash: hash('rt1'), createdAt: T0 + 50 });
      expect(await ctx.repo.spendRefreshToken(hash('rt1'), next, T0 + 50)).toBe(true);
      expect(await ctx.repo.findRefreshToken(hash('rt1'))).toEqual(refreshToken({ spentAt: T0 + 50, successorHash: hash('rt2') }));
      expect(await ctx.repo.findRefreshToken(hash('rt2'))).toEqual(next);
    });

    it('refuses to spend a spent token and changes nothing', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      await ctx.repo.spendRefreshToken(hash('rt1'), refreshToken({ tokenHash: hash('rt2'), parentHash: hash('rt1') }), T0 + 50);
      const again = refreshToken({ tokenHash: hash('rt3'), parentHash: hash('rt1') });
      expect(await ctx.repo.spendRefreshToken(hash('rt1'), again, T0 + 60)).toBe(false);
      expect(await ctx.repo.findRefreshToken(hash('rt1'))).toEqual(refreshToken({ spentAt: T0 + 50, successorHash: hash('rt2') }));
      expect(await ctx.repo.findRefreshToken(hash('rt3'))).toBeNull();
    });

    it('answers false for an unknown token and inserts nothing', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), null, null);
      expect(await ctx.repo.spendRefreshToken(hash('nope'), refreshToken({ tokenHash: hash('rt9') }), T0)).toBe(false);
      expect(await ctx.repo.findRefreshToken(hash('rt9'))).toBeNull();
    });

    it('lets exactly one of 20 concurrent spenders win and inserts only the winner\'s successor', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      const other = await ctx.openAnother();
      const successors = Array.from({ length: 20 }, (_, i) =>
        refreshToken({ tokenHash: hash(`succ${i}`), parentHash: hash('rt1'), createdAt: T0 + 100 + i }),
      );
      const results = await Promise.all(
        successors.map((s, i) => (i % 2 === 0 ? ctx.repo : other).spendRefreshToken(hash('rt1'), s, T0 + 100 + i)),
      );
      expect(results.filter((r) => r)).toHaveLength(1);
      const winner = results.indexOf(true);
      const spent = await ctx.repo.findRefreshToken(hash('rt1'));
      expect(spent?.successorHash).toBe(hash(`succ${winner}`));
      expect(spent?.spentAt).toBe(T0 + 100 + winner);
      const found = await Promise.all(successors.map((s) => ctx.repo.findRefreshToken(s.tokenHash)));
      expect(found.filter((f) => f !== null)).toEqual([successors[winner]]);
    });
  });

  describe('revoked access tokens', () => {
    it('remembers a revoked jti, idempotently, and no other', async () => {
      await ctx.repo.revokeAccessToken('jti-1', T0 + HOUR);
      await ctx.repo.revokeAccessToken('jti-1', T0 + HOUR);
      expect(await ctx.repo.isAccessTokenRevoked('jti-1')).toBe(true);
      expect(await ctx.repo.isAccessTokenRevoked('jti-2')).toBe(false);
    });
  });

  describe('signing keys', () => {
    it('lists inserted keys oldest first with every field intact', async () => {
      const a = signingKey({ kid: 'a', createdAt: T0 + 2, alg: 'ES256' });
      const b = signingKey({ kid: 'b', createdAt: T0 + 1, status: 'active', alg: 'EdDSA' });
      await ctx.repo.insertSigningKey(a);
      await ctx.repo.insertSigningKey(b);
      expect(await ctx.repo.listSigningKeys()).toEqual([b, a]);
    });

    it('activates a key, retiring only the keys that were active', async () => {
      await ctx.repo.insertSigningKey(signingKey({ kid: 'old', createdAt: T0, status: 'retired', retiredAt: T0 + 1 }));
      await ctx.repo.insertSigningKey(signingKey({ kid: 'cur', createdAt: T0 + 2, status: 'active' }));
      await ctx.repo.insertSigningKey(signingKey({ kid: 'new', createdAt: T0 + 3 }));
      await ctx.repo.activateSigningKey('new', T0 + 10);
      expect(await ctx.repo.listSigningKeys()).toEqual([
        signingKey({ kid: 'old', createdAt: T0, status: 'retired', retiredAt: T0 + 1 }),
        signingKey({ kid: 'cur', createdAt: T0 + 2, status: 'retired', retiredAt: T0 + 10 }),
        signingKey({ kid: 'new', createdAt: T0 + 3, status: 'active', retiredAt: null }),
      ]);
    });

    it('refuses to activate an unknown kid with NotFoundError and leaves the active key active', async () => {
      await ctx.repo.insertSigningKey(signingKey({ kid: 'cur', status: 'active' }));
      const err = await ctx.repo.activateSigningKey('ghost', T0).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as NotFoundError).code).toBe('ERR_NOT_FOUND');
      expect((await ctx.repo.listSigningKeys()).map((k) => [k.kid, k.status])).toEqual([['cur', 'active']]);
    });

    it('leaves exactly one active key after 10 concurrent activations of different keys', async () => {
      const other = await ctx.openAnother();
      for (let i = 0; i < 10; i++) await ctx.repo.insertSigningKey(signingKey({ kid: `k${i}`, createdAt: T0 + i }));
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : ctx.repo).activateSigningKey(`k${i}`, T0 + 100)));
      const active = (await ctx.repo.listSigningKeys()).filter((k) => k.status === 'active');
      expect(active).toHaveLength(1);
    });

    it('deletes a key once', async () => {
      await ctx.repo.insertSigningKey(signingKey());
      expect(await ctx.repo.deleteSigningKey('k1')).toBe(true);
      expect(await ctx.repo.deleteSigningKey('k1')).toBe(false);
      expect(await ctx.repo.listSigningKeys()).toEqual([]);
    });
  });

  describe('deleteExpired', () => {
    it('deletes at most batchSize expired rows of each kind per call and keeps unexpired ones', async () => {
      await seed(ctx.repo);
      const now = T0 + 10 * HOUR;
      for (let i = 0; i < 3; i++) await ctx.repo.createAuthCode(code({ codeHash: hash(`dead-code${i}`), expiresAt: now - 1 - i }));
      await ctx.repo.createAuthCode(code({ codeHash: hash('live-code'), expiresAt: now + 1 }));
      await ctx.repo.createAuthCode(code({ codeHash: hash('edge-code'), expiresAt: now }));
      for (let i = 0; i < 3; i++) await ctx.repo.revokeAccessToken(`dead-jti${i}`, now - 1);
      await ctx.repo.revokeAccessToken('live-jti', now + 1);
      for (let i = 0; i < 3; i++) {
        await ctx.repo.createSsoSession(session({ id: `dead-s${i}`, tokenHash: hash(`dead-sso${i}`), expiresAt: now - 1 }));
      }

      // First call: 2 codes, 2 jtis, 2 sessions (s1 lives on).
      expect(await ctx.repo.deleteExpired(now, 2)).toBe(6);
      // Second call: what is left of each.
      expect(await ctx.repo.deleteExpired(now, 2)).toBe(3);
      expect(await ctx.repo.deleteExpired(now, 2)).toBe(0);

      expect((await ctx.repo.consumeAuthCode(hash('live-code'), now))?.firstUse).toBe(true);
      expect((await ctx.repo.consumeAuthCode(hash('edge-code'), now))?.firstUse).toBe(true);
      for (let i = 0; i < 3; i++) expect(await ctx.repo.consumeAuthCode(hash(`dead-code${i}`), now)).toBeNull();
      expect(await ctx.repo.isAccessTokenRevoked('live-jti')).toBe(true);
      expect(await ctx.repo.isAccessTokenRevoked('dead-jti0')).toBe(false);
      expect(await ctx.repo.findSsoSessionByHash(hash('sso1'))).toEqual(session());
      expect(await ctx.repo.findSsoSessionByHash(hash('dead-sso0'))).toBeNull();
    });

    it('deletes an expired grant with its refresh tokens, bounded per batch, and keeps live grants', async () => {
      await seed(ctx.repo);
      const now = T0 + 10 * HOUR;
      await ctx.repo.createGrant(grant({ id: 'dead', expiresAt: now - 1 }), refreshToken({ tokenHash: hash('d0'), grantId: 'dead' }), null);
      for (let i = 1; i < 3; i++) {
        await ctx.repo.spendRefreshToken(
          hash(`d${i - 1}`),
          refreshToken({ tokenHash: hash(`d${i}`), grantId: 'dead', parentHash: hash(`d${i - 1}`) }),
          T0 + i,
        );
      }
      await ctx.repo.createGrant(grant({ id: 'live' }), refreshToken({ tokenHash: hash('l0'), grantId: 'live' }), null);

      // 3 tokens, batch 2: two tokens go, the grant waits for its last token.
      expect(await ctx.repo.deleteExpired(now, 2)).toBe(2);
      expect(await ctx.repo.getGrant('dead')).not.toBeNull();
      // The last token and then the grant itself.
      expect(await ctx.repo.deleteExpired(now, 2)).toBe(2);
      expect(await ctx.repo.getGrant('dead')).toBeNull();
      for (let i = 0; i < 3; i++) expect(await ctx.repo.findRefreshToken(hash(`d${i}`))).toBeNull();
      expect(await ctx.repo.getGrant('live')).toEqual(grant({ id: 'live' }));
      expect(await ctx.repo.findRefreshToken(hash('l0'))).toEqual(refreshToken({ tokenHash: hash('l0'), grantId: 'live' }));
      expect(await ctx.repo.deleteExpired(now, 2)).toBe(0);
    });

    it('keeps grants and codes that point at a deleted SSO session, without the session', async () => {
      await seed(ctx.repo);
      const now = T0 + 90 * 24 * HOUR;
      await ctx.repo.createGrant(grant({ expiresAt: now + HOUR }), null, null);
      expect(await ctx.repo.deleteExpired(now, 10)).toBe(1);
      expect(await ctx.repo.getGrant('g1')).toEqual(grant({ expiresAt: now + HOUR, ssoSessionId: null }));
    });
  });

  describe('migrate', () => {
    it('is idempotent: running it twice more keeps the data', async () => {
      await ctx.repo.createUser(user());
      await ctx.repo.migrate();
      await ctx.repo.migrate();
      expect(await ctx.repo.findUserById('u1')).toEqual(user());
    });

    it('lets three repositories migrate one fresh database at the same time', async () => {
      const db = await createTestDatabase(ctx.kind);
      try {
        const repos = await Promise.all([openRepository(db.target), openRepository(db.target), openRepository(db.target)]);
        try {
          const [a, b] = repos;
          await a.createUser(user());
          expect(await b.findUserByEmail('ada@example.com')).toEqual(user());
        } finally {
          await Promise.all(repos.map((r) => r.close()));
        }
      } finally {
        await db.dispose();
      }
    });
  });

  it('lets three separate processes migrate one fresh database at the same time', async () => {
    const db = await createTestDatabase(ctx.kind);
    try {
      const codes = await Promise.all(['p1', 'p2', 'p3'].map((id) => runChild(db.target, id)));
      expect(codes).toEqual([0, 0, 0]);
      const repo = await openRepository(db.target);
      try {
        for (const id of ['p1', 'p2', 'p3']) expect((await repo.findUserById(id))?.email).toBe(`${id}@example.com`);
      } finally {
        await repo.close();
      }
    } finally {
      await db.dispose();
    }
  }, 30_000);

  it(`reports its kind`, () => {
    expect(ctx.repo.kind).toBe(ctx.kind);
  });
});

describe('backend choice', () => {
  it('opens SQLite for a sqlite: target and for :memory:', async () => {
    const repo = await openRepository('sqlite::memory:');
    try {
      expect(repo.kind).toBe('sqlite');
      await repo.createUser(user());
      expect(await repo.findUserById('u1')).toEqual(user());
    } finally {
      await repo.close();
    }
  });

  it('creates the SQLite file and its missing folders, in WAL mode, for a sqlite:// target', async () => {
    const file = createTestSqlitePath();
    try {
      const nested = join(dirname(file.path), 'a', 'b', 'keyturn.db');
      const repo = await openRepository(`sqlite://${nested}`);
      await repo.close();
      const raw = new Sqlite(nested, { readonly: true });
      try {
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
        const tables = raw.prepare("select name from sqlite_master where type = 'table' and name = 'grants'").all();
        expect(tables).toEqual([{ name: 'grants' }]);
      } finally {
        raw.close();
      }
    } finally {
      file.cleanup();
    }
  });

  it('opens PostgreSQL for a postgresql:// URL', async () => {
    const db = await createTestDatabase('postgres');
    try {
      const repo = await openRepository(db.target.replace(/^postgres:/, 'postgresql:'));
      expect(repo.kind).toBe('postgres');
      await repo.close();
    } finally {
      await db.dispose();
    }
  });

  it('leaves the global pg int8 parser alone (bigint stays a string for other pg users)', async () => {
    const db = await createTestDatabase('postgres');
    try {
      const repo = await openRepository(db.target);
      await repo.close();
      expect(pg.types.getTypeParser(20, 'text')('9007199254740993')).toBe('9007199254740993');
    } finally {
      await db.dispose();
    }
  });
});
