/** Conformance of the `Repository` client methods (`clients`), run against SQLite and the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import { DuplicateError } from '../errors.js';
import { T0, hash, client, code, grant, refreshToken, seed } from '../test-support/records.js';

forEachBackend('Repository', (ctx) => {
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
});
