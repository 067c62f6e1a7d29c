/** The `signing_keys` table group of the kysely `Repository`. */
import { sql, type Kysely } from 'kysely';
import { NotFoundError } from '../errors.js';
import type { Repository } from '../repository.js';
import { affectedRows } from './lib/affectedRows.js';
import { rowToSigningKey, signingKeyToRow } from './rows.js';
import type { Database } from './schema.js';

/** Arbitrary constant key of the PostgreSQL advisory lock that serializes key activation. */
const SIGNING_KEYS_LOCK = 0x6b74_6b65_7973; // "ktkeys"

export type SigningKeysStore = Pick<Repository, 'listSigningKeys' | 'insertSigningKey' | 'activateSigningKey' | 'deleteSigningKey'>;

/**
 * The signing key methods of `Repository` over `db`; `kind` says whether activation needs
 * PostgreSQL's advisory lock.
 *
 * @example
 * ```ts
 * const keys = signingKeysStore(db, 'postgres');
 * await keys.insertSigningKey(key);
 * await keys.activateSigningKey(key.kid, Date.now());
 * ```
 */
export function signingKeysStore(db: Kysely<Database>, kind: Repository['kind']): SigningKeysStore {
  return {
    /** Oldest first. */
    async listSigningKeys() {
      const list = await db.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
      return list.map(rowToSigningKey);
    },

    async insertSigningKey(key) {
      await db.insertInto('signing_keys').values(signingKeyToRow(key)).execute();
    },

    async activateSigningKey(kid, at) {
      await db.transaction().execute(async (trx) => {
        if (kind === 'postgres') {
          // Two concurrent activations would each miss the other's uncommitted key under
          // READ COMMITTED and leave two active; the lock makes them take turns.
          await sql`select pg_advisory_xact_lock(${sql.lit(SIGNING_KEYS_LOCK)})`.execute(trx);
        }
        const r = await trx
          .updateTable('signing_keys')
          .set({ status: 'active', retired_at: null })
          .where('kid', '=', kid)
          .executeTakeFirst();
        if (affectedRows(r.numUpdatedRows) !== 1) throw new NotFoundError('Signing key');
        await trx
          .updateTable('signing_keys')
          .set({ status: 'retired', retired_at: at })
          .where('status', '=', 'active')
          .where('kid', '<>', kid)
          .execute();
      });
    },

    async deleteSigningKey(kid) {
      const r = await db.deleteFrom('signing_keys').where('kid', '=', kid).executeTakeFirst();
      return affectedRows(r.numDeletedRows) > 0;
    },
  };
}
