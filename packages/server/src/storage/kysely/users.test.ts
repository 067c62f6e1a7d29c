/** Conformance of the `Repository` user methods (`users`), run against SQLite and the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import { DuplicateError } from '../errors.js';
import { T0, user, code } from '../test-support/records.js';

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
});
