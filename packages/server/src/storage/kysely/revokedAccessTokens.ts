/** The `revoked_access_tokens` table group of the kysely `Repository` (RFC 7009 for JWTs). */
import type { Kysely } from 'kysely';
import type { Repository } from '../repository.js';
import type { Database } from './schema.js';

export type RevokedAccessTokensStore = Pick<Repository, 'revokeAccessToken' | 'isAccessTokenRevoked'>;

/**
 * The revoked access token methods of `Repository` over `db`.
 *
 * @example
 * ```ts
 * const revoked = revokedAccessTokensStore(db);
 * await revoked.revokeAccessToken(jti, exp * 1000);
 * await revoked.isAccessTokenRevoked(jti); // true
 * ```
 */
export function revokedAccessTokensStore(db: Kysely<Database>): RevokedAccessTokensStore {
  return {
    async revokeAccessToken(jti, expiresAt) {
      await db
        .insertInto('revoked_access_tokens')
        .values({ jti, expires_at: expiresAt })
        .onConflict((oc) => oc.column('jti').doNothing())
        .execute();
    },

    async isAccessTokenRevoked(jti) {
      const row = await db.selectFrom('revoked_access_tokens').select('jti').where('jti', '=', jti).executeTakeFirst();
      return row !== undefined;
    },
  };
}
