/** The `grants` and `refresh_tokens` table group of the kysely `Repository`. */
import type { Kysely } from 'kysely';
import type { EpochMs } from '../records.js';
import type { Repository } from '../repository.js';
import { NotFoundError } from '../errors.js';
import { refreshTokenGrantLookup } from './findRefreshTokenGrant.js';
import { affectedRows } from './lib/affectedRows.js';
import { listActiveOfUser } from './lib/listActiveOfUser.js';
import { grantToRow, refreshTokenToRow, rowToGrant, rowToRefreshToken } from './rows.js';
import type { Database } from './schema.js';
import { refreshTokenSpender } from './spendRefreshToken.js';

export type GrantsStore = Pick<
  Repository,
  | 'createGrant'
  | 'getGrant'
  | 'listActiveGrantsForUser'
  | 'revokeGrant'
  | 'revokeGrantsForUser'
  | 'touchGrant'
  | 'findRefreshToken'
  | 'findRefreshTokenGrant'
  | 'spendRefreshToken'
>;

/**
 * The grant and refresh token methods of `Repository` over `db` (`kind`: rotation's statement differs).
 *
 * @example
 * ```ts
 * const grants = grantsStore(db, 'sqlite');
 * const token = await grants.findRefreshToken(sha256Hex(refreshToken));
 * if (token !== null) await grants.touchGrant(token.grantId, Date.now());
 * ```
 */
export function grantsStore(db: Kysely<Database>, kind: Repository['kind']): GrantsStore {
  return {
    async createGrant(grant, firstRefreshToken, codeHash) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('grants').values(grantToRow(grant)).execute();
        if (firstRefreshToken !== null) {
          await trx.insertInto('refresh_tokens').values(refreshTokenToRow(firstRefreshToken)).execute();
        }
        if (codeHash !== null) {
          // The code may have been deleted meanwhile (its person's sessions ended): then no grant.
          const linked = await trx.updateTable('auth_codes').set({ grant_id: grant.id }).where('code_hash', '=', codeHash).executeTakeFirst();
          if (affectedRows(linked.numUpdatedRows) !== 1) throw new NotFoundError('authorization code');
        }
      });
    },

    async getGrant(id) {
      const row = await db.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : rowToGrant(row);
    },

    async listActiveGrantsForUser(userId, now) {
      return (await listActiveOfUser(db, 'grants', userId, now)).map(rowToGrant);
    },

    async revokeGrant(id, at, reason) {
      return (await revokeGrantsWhere(db, 'id', id, at, reason)) === 1;
    },

    async revokeGrantsForUser(userId, at, reason) {
      return revokeGrantsWhere(db, 'user_id', userId, at, reason);
    },

    /** Never moves `lastUsedAt` backwards (a slow request finishing late cannot undo a newer touch). */
    async touchGrant(id, at) {
      await db.updateTable('grants').set({ last_used_at: at }).where('id', '=', id).where('last_used_at', '<', at).execute();
    },

    async findRefreshToken(tokenHash) {
      const row = await db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row === undefined ? null : rowToRefreshToken(row);
    },

    findRefreshTokenGrant: refreshTokenGrantLookup(db, kind),

    spendRefreshToken: refreshTokenSpender(db, kind),
  };
}

/** Revokes the unrevoked grants whose `column` is `value`, keeping any earlier revocation; returns how many. */
async function revokeGrantsWhere(db: Kysely<Database>, column: 'id' | 'user_id', value: string, at: EpochMs, reason: string): Promise<number> {
  const r = await db
    .updateTable('grants')
    .set({ revoked_at: at, revoked_reason: reason })
    .where(column, '=', value)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return affectedRows(r.numUpdatedRows);
}
