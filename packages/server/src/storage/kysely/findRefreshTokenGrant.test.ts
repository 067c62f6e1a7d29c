/** Conformance of `Repository.findRefreshTokenGrant` (token + grant + client + user in one query), on SQLite and the real PostgreSQL. */
import Sqlite from 'better-sqlite3';
import { Kysely } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { forEachBackend, type BackendKind } from '../../test-support/databases.js';
import { client, grant, hash, refreshToken, seed, T0, user } from '../test-support/records.js';
import { createKyselyRepository } from './createKyselyRepository.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';
import { ImmediateSqliteDialect } from './sqliteDialect.js';

/**
 * Deletes a user row past the foreign keys, whose cascade would take the grant with it:
 * the one way to reach a grant whose user is gone, which the LEFT JOIN must still answer.
 */
async function deleteUserPastForeignKeys(kind: BackendKind, target: string, userId: string): Promise<void> {
  if (kind === 'sqlite') {
    const raw = new Sqlite(target);
    try {
      raw.pragma('busy_timeout = 5000');
      raw.pragma('foreign_keys = OFF');
      raw.prepare('delete from users where id = ?').run(userId);
    } finally {
      raw.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    // Replica mode skips the triggers that enforce foreign keys, for this session only.
    await client.query('set session_replication_role = replica');
    await client.query('delete from users where id = $1', [userId]);
  } finally {
    await client.end();
  }
}

forEachBackend('Repository', (ctx) => {
  describe('findRefreshTokenGrant', () => {
    it('finds the token, its grant and the grant\'s client and user with every field intact', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      expect(await ctx.repo.findRefreshTokenGrant(hash('rt1'))).toEqual({ token: refreshToken(), grant: grant(), client: client(), user: user() });
    });

    it('answers null for a hash no token has', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      expect(await ctx.repo.findRefreshTokenGrant(hash('nope'))).toBeNull();
    });

    it('answers many lookups made at once each with its own row: a token asked twice, an unknown hash', async () => {
      await seed(ctx.repo);
      const labels = Array.from({ length: 99 }, (_, i) => `many${i}`);
      for (const label of labels) await ctx.repo.createGrant(grant({ id: `g-${label}`, scope: label }), refreshToken({ tokenHash: hash(label), grantId: `g-${label}` }), null);
      // Turns of several sizes: PostgreSQL runs them as lists of 4, 16, 64 and 100 hashes.
      for (const count of [3, 10, 40, 99]) {
        const asked = [...labels.slice(0, count), 'many1', 'nope'];
        const found = await Promise.all(asked.map((label) => ctx.repo.findRefreshTokenGrant(hash(label))));
        expect(found.map((f) => f && [f.token.tokenHash, f.grant.id, f.grant.scope])).toEqual([
          ...labels.slice(0, count).map((label) => [hash(label), `g-${label}`, label]),
          [hash('many1'), 'g-many1', 'many1'],
          null,
        ]);
        // Each caller gets an object of its own, even for the same token.
        expect(found[count]).toEqual(found[1]);
        expect(found[count]).not.toBe(found[1]);
      }
    });

    it('sees a revocation made just before the lookup, even among lookups made at once', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      await ctx.repo.createGrant(grant({ id: 'g2' }), refreshToken({ tokenHash: hash('rt2'), grantId: 'g2' }), null);
      // Looked up once before: a cache of lookups would now answer the unrevoked grant.
      expect((await ctx.repo.findRefreshTokenGrant(hash('rt1')))?.grant.revokedAt).toBeNull();
      await ctx.repo.revokeGrant('g1', T0 + 5, 'signed_out');
      const [first, second] = await Promise.all([ctx.repo.findRefreshTokenGrant(hash('rt1')), ctx.repo.findRefreshTokenGrant(hash('rt2'))]);
      expect(first?.grant).toMatchObject({ revokedAt: T0 + 5, revokedReason: 'signed_out' });
      expect(second?.grant).toMatchObject({ id: 'g2', revokedAt: null });
    });

    it('finds a spent token with its spentAt and successor, beside the successor itself', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      const next = refreshToken({ tokenHash: hash('rt2'), parentHash: hash('rt1'), createdAt: T0 + 50 });
      await ctx.repo.spendRefreshToken(hash('rt1'), next, T0 + 50);
      expect((await ctx.repo.findRefreshTokenGrant(hash('rt1')))?.token).toEqual(
        refreshToken({ spentAt: T0 + 50, successorHash: hash('rt2') }),
      );
      expect(await ctx.repo.findRefreshTokenGrant(hash('rt2'))).toEqual({ token: next, grant: grant(), client: client(), user: user() });
    });

    it('still returns the grant of a revoked family, with revokedAt and the reason set', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      await ctx.repo.revokeGrant('g1', T0 + 5, 'refresh_token_reuse');
      expect(await ctx.repo.findRefreshTokenGrant(hash('rt1'))).toEqual({
        token: refreshToken(),
        grant: grant({ revokedAt: T0 + 5, revokedReason: 'refresh_token_reuse' }),
        client: client(),
        user: user(),
      });
    });

    it('answers user null, with the token and grant, once the grant\'s user is gone', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      await deleteUserPastForeignKeys(ctx.kind, ctx.target, 'u1');
      expect(await ctx.repo.findUserById('u1')).toBeNull();
      expect(await ctx.repo.findRefreshTokenGrant(hash('rt1'))).toEqual({ token: refreshToken(), grant: grant(), client: client(), user: null });
    });

    it('pairs each token with its own grant and user when several people hold grants', async () => {
      await seed(ctx.repo);
      const bob = user({ id: 'u2', email: 'bob@example.com', name: null });
      await ctx.repo.createUser(bob);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      await ctx.repo.createGrant(
        grant({ id: 'g2', userId: 'u2', ssoSessionId: null }),
        refreshToken({ tokenHash: hash('rt-bob'), grantId: 'g2' }),
        null,
      );
      expect(await ctx.repo.findRefreshTokenGrant(hash('rt-bob'))).toEqual({
        token: refreshToken({ tokenHash: hash('rt-bob'), grantId: 'g2' }),
        grant: grant({ id: 'g2', userId: 'u2', ssoSessionId: null }),
        client: client(),
        user: bob,
      });
    });
  });
});

describe('findRefreshTokenGrant over a kysely handle that answers rows as objects', () => {
  it('reads the same token, grant, client and user as through the array-answering handles', async () => {
    // No cachedStatements: better-sqlite3 statements in their default mode, one object per row.
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: new Sqlite(':memory:') }) });
    try {
      await migrateToLatest(db);
      const repo = createKyselyRepository(db, 'sqlite');
      await seed(repo);
      await repo.createGrant(grant(), refreshToken(), null);
      expect(await repo.findRefreshTokenGrant(hash('rt1'))).toEqual({ token: refreshToken(), grant: grant(), client: client(), user: user() });
      expect(await repo.findRefreshTokenGrant(hash('nope'))).toBeNull();
    } finally {
      await db.destroy();
    }
  });
});
