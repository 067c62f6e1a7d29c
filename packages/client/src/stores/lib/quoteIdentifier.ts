/** SQL table names for the SQLite and PostgreSQL stores: validated, then quoted. */
import { StoreError } from '../../vault/errors.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,50}$/;

/**
 * Returns `"name"` for a plain identifier, or throws `ERR_STORE_CONFIG`.
 *
 * @example
 * ```ts
 * quoteIdentifier('keyturn_tokens'); // '"keyturn_tokens"'
 * ```
 */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new StoreError('ERR_STORE_CONFIG', 'Table names are 1-51 letters, digits or "_", not starting with a digit');
  }
  return `"${name}"`;
}
