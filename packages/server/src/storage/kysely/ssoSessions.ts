/** The `sso_sessions` table group of the kysely `Repository`. */
import type { Kysely } from 'kysely';
import type { Repository } from '../repository.js';
import { affectedRows } from './lib/affectedRows.js';
import { listActiveOfUser } from './lib/listActiveOfUser.js';
import { rowToSsoSession, ssoSessionToRow } from './rows.js';
import type { Database } from './schema.js';

export type SsoSessionsStore = Pick<
  Repository,
  'createSsoSession' | 'findSsoSessionByHash' | 'findSsoSessionById' | 'revokeSsoSession' | 'listActiveSsoSessionsForUser' | 'revokeSsoSessionsForUser'
>;

/**
 * The SSO session methods of `Repository` over `db`.
 *
 * @example
 * ```ts
 * const session = await ssoSessionsStore(db).findSsoSessionByHash(sha256Hex(npsso));
 * ```
 */
export function ssoSessionsStore(db: Kysely<Database>): SsoSessionsStore {
  return {
    async createSsoSession(session) {
      await db.insertInto('sso_sessions').values(ssoSessionToRow(session)).execute();
    },

    async findSsoSessionByHash(tokenHash) {
      const row = await db.selectFrom('sso_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row === undefined ? null : rowToSsoSession(row);
    },

    async findSsoSessionById(id) {
      const row = await db.selectFrom('sso_sessions').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : rowToSsoSession(row);
    },

    async revokeSsoSession(id, at) {
      await db.updateTable('sso_sessions').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    },

    async listActiveSsoSessionsForUser(userId, now) {
      return (await listActiveOfUser(db, 'sso_sessions', userId, now)).map(rowToSsoSession);
    },

    async revokeSsoSessionsForUser(userId, at, exceptId) {
      let update = db
        .updateTable('sso_sessions')
        .set({ revoked_at: at })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at);
      if (exceptId !== null) update = update.where('id', '<>', exceptId);
      const r = await update.executeTakeFirst();
      return affectedRows(r.numUpdatedRows);
    },
  };
}
