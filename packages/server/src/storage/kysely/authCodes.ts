/** The `auth_codes` table group of the kysely `Repository`. */
import type { Kysely } from 'kysely';
import type { Repository } from '../repository.js';
import { affectedRows } from './lib/affectedRows.js';
import { authCodeToRow, rowToAuthCode } from './rows.js';
import type { Database } from './schema.js';

export type AuthCodesStore = Pick<Repository, 'createAuthCode' | 'consumeAuthCode' | 'deleteOutstandingAuthCodesForUser'>;

/**
 * The authorization code methods of `Repository` over `db`.
 *
 * @example
 * ```ts
 * const consumed = await authCodesStore(db).consumeAuthCode(sha256Hex(code), Date.now());
 * if (consumed?.firstUse === false) await revokeTheGrantItMade(consumed.code.grantId);
 * ```
 */
export function authCodesStore(db: Kysely<Database>): AuthCodesStore {
  return {
    async createAuthCode(code) {
      await db.insertInto('auth_codes').values(authCodeToRow(code)).execute();
    },

    async consumeAuthCode(codeHash, at) {
      // The conditional update is the whole race: only one caller's update matches.
      const won = await db
        .updateTable('auth_codes')
        .set({ consumed_at: at })
        .where('code_hash', '=', codeHash)
        .where('consumed_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (won !== undefined) return { code: rowToAuthCode(won), firstUse: true };
      const row = await db.selectFrom('auth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
      return row === undefined ? null : { code: rowToAuthCode(row), firstUse: false };
    },

    async deleteOutstandingAuthCodesForUser(userId) {
      // `grant_id is null` includes a code being exchanged right now: its createGrant then finds
      // no code to link and rolls back. On PostgreSQL a createGrant that linked first holds the
      // row lock; this DELETE waits, re-checks `grant_id`, and leaves the linked code alone.
      const r = await db.deleteFrom('auth_codes').where('user_id', '=', userId).where('grant_id', 'is', null).executeTakeFirst();
      return affectedRows(r.numDeletedRows);
    },
  };
}
