/** Conformance of the `Repository` user methods (`users`), run against SQLite and the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import { DuplicateError } from '../errors.js';
import { T0, code, grant, hash, refreshToken, seed, session, user } from '../test-support/records.js';

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

    it('stores a new user as active, and keeps a status change', async () => {
      await ctx.repo.createUser(user());
      expect((await ctx.repo.findUserById('u1'))?.status).toBe('active');
      expect(await ctx.repo.setUserStatus('u1', 'disabled')).toBe(true);
      expect(await ctx.repo.findUserByEmail('ada@example.com')).toEqual(user({ status: 'disabled' }));
      expect(await ctx.repo.setUserStatus('u1', 'active')).toBe(true);
      expect((await ctx.repo.findUserById('u1'))?.status).toBe('active');
      expect(await ctx.repo.setUserStatus('nope', 'disabled')).toBe(false);
    });

    it('lists every user oldest first, then by email', async () => {
      await ctx.repo.createUser(user({ id: 'u3', email: 'cyd@example.com', createdAt: T0 + 5 }));
      await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com', createdAt: T0 }));
      await ctx.repo.createUser(user());
      expect((await ctx.repo.listUsers()).map((u) => u.email)).toEqual(['ada@example.com', 'bob@example.com', 'cyd@example.com']);
    });

    it('replaces a password hash and touches nothing else', async () => {
      await ctx.repo.createUser(user());
      expect(await ctx.repo.setUserPasswordHash('u1', '$argon2id$new')).toBe(true);
      expect(await ctx.repo.findUserById('u1')).toEqual(user({ passwordHash: '$argon2id$new' }));
      expect(await ctx.repo.setUserPasswordHash('nope', '$argon2id$new')).toBe(false);
    });

    it('deletes a user with their sessions, grants and refresh tokens, and answers false the second time', async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      await ctx.repo.createUser(user({ id: 'u2', email: 'bob@example.com' }));
      expect(await ctx.repo.deleteUser('u1')).toBe(true);
      expect(await ctx.repo.findUserById('u1')).toBeNull();
      expect(await ctx.repo.findSsoSessionByHash(session().tokenHash)).toBeNull();
      expect(await ctx.repo.getGrant('g1')).toBeNull();
      expect(await ctx.repo.findRefreshToken(hash('rt1'))).toBeNull();
      expect(await ctx.repo.findUserById('u2')).not.toBeNull();
      expect(await ctx.repo.deleteUser('u1')).toBe(false);
    });

    it("reads a disabled person's status through findRefreshTokenGrant", async () => {
      await seed(ctx.repo);
      await ctx.repo.createGrant(grant(), refreshToken(), null);
      await ctx.repo.setUserStatus('u1', 'disabled');
      expect((await ctx.repo.findRefreshTokenGrant(hash('rt1')))?.user).toEqual(user({ status: 'disabled' }));
    });
  });
});
