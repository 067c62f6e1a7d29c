/** Inserting a row whose unique key may be taken: the driver's violation becomes a `DuplicateError`. */
import { DuplicateError } from '../../errors.js';

function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/**
 * Runs `insert`; a unique (or primary) key violation from SQLite or PostgreSQL throws
 * `DuplicateError` naming `what` instead, so no SQL or stored value reaches the caller.
 *
 * @example
 * ```ts
 * await insertUnique(db.insertInto('clients').values(row), `Client ${JSON.stringify(row.id)}`);
 * ```
 */
export async function insertUnique(insert: { execute(): Promise<unknown> }, what: string): Promise<void> {
  try {
    await insert.execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new DuplicateError(what);
    throw err;
  }
}
