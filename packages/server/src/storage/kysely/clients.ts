/** The `clients` table group of the kysely `Repository`. */
import type { Kysely } from 'kysely';
import type { Repository } from '../repository.js';
import { affectedRows } from './lib/affectedRows.js';
import { insertUnique } from './lib/insertUnique.js';
import { clientToRow, rowToClient } from './rows.js';
import type { Database } from './schema.js';

export type ClientsStore = Pick<Repository, 'createClient' | 'getClient' | 'listClients' | 'deleteClient'>;

/**
 * The client methods of `Repository` over `db`.
 *
 * @example
 * ```ts
 * const client = await clientsStore(db).getClient('my-app');
 * ```
 */
export function clientsStore(db: Kysely<Database>): ClientsStore {
  return {
    async createClient(client) {
      await insertUnique(db.insertInto('clients').values(clientToRow(client)), `Client ${JSON.stringify(client.id)}`);
    },

    async getClient(id) {
      const row = await db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : rowToClient(row);
    },

    /** Oldest first. */
    async listClients() {
      const list = await db.selectFrom('clients').selectAll().orderBy('created_at').orderBy('id').execute();
      return list.map(rowToClient);
    },

    /** Also deletes, by cascade, the client's codes, grants and their refresh tokens. */
    async deleteClient(id) {
      const r = await db.deleteFrom('clients').where('id', '=', id).executeTakeFirst();
      return affectedRows(r.numDeletedRows) > 0;
    },
  };
}
