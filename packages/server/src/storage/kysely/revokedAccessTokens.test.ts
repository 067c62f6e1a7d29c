/** Conformance of the `Repository` revoked access token methods (`revoked_access_tokens`), run against SQLite and the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../../test-support/databases.js';
import { T0, HOUR } from '../test-support/records.js';

forEachBackend('Repository', (ctx) => {
  describe('revoked access tokens', () => {
    it('remembers a revoked jti, idempotently, and no other', async () => {
      await ctx.repo.revokeAccessToken('jti-1', T0 + HOUR);
      await ctx.repo.revokeAccessToken('jti-1', T0 + HOUR);
      expect(await ctx.repo.isAccessTokenRevoked('jti-1')).toBe(true);
      expect(await ctx.repo.isAccessTokenRevoked('jti-2')).toBe(false);
    });
  });
});
