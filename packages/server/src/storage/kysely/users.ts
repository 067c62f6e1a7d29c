/** The `users` table group of the kysely `Repository`. */
import type { Kysely } from 'kysely';
import type { Repository } from '../repository.js';
import { affectedRows } from './lib/affectedRows.js';
import { insertUnique } from './lib/insertUnique.js';
import { rowToUser, userToRow } from './rows.js';
import type { Database } from './schema.js';

export type UsersStore = Pick<
  Repository,
  'createUser' | 'findUserByEmail' | 'findUserById' | 'listUsers' | 'setUserStatus' | 'setUserPasswordHash' | 'deleteUser'
>;

/**
 * The user methods of `Repository` over `db`.
 *
 * @example
 * ```ts
 * const user = await usersStore(db).findUserByEmail('ada@example.com');
 * ```
 */
export function usersStore(db: Kysely<Database>): UsersStore {
  return {
    async createUser(user) {
      // The message names neither the email nor the id: both may end up in a log.
      await insertUnique(db.insertInto('users').values(userToRow(user)), 'A user with this email or id');
    },

    async findUserByEmail(email) {
      const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      return row === undefined ? null : rowToUser(row);
    },

    async findUserById(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : rowToUser(row);
    },

    async listUsers() {
      const rows = await db.selectFrom('users').selectAll().orderBy('created_at').orderBy('email').execute();
      return rows.map(rowToUser);
    },

    async setUserStatus(id, status) {
      return affectedRows((await db.updateTable('users').set({ status }).where('id', '=', id).executeTakeFirst()).numUpdatedRows) > 0;
    },

    async setUserPasswordHash(id, passwordHash) {
      const r = await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).executeTakeFirst();
      return affectedRows(r.numUpdatedRows) > 0;
    },

    async deleteUser(id) {
      return affectedRows((await db.deleteFrom('users').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
    },
  };
}
