/** One rule for store keys, shared by every backend so a key valid for one is valid for all. */
import { StoreError } from '../../vault/errors.js';

/**
 * Longest key in UTF-8 bytes; keeps file names (hex of the key) under 255 bytes.
 *
 * @example
 * ```ts
 * Buffer.byteLength(key) <= MAX_KEY_BYTES;
 * ```
 */
export const MAX_KEY_BYTES = 120;

/**
 * Throws `ERR_STORE_INVALID_KEY` for a non-string, empty or over-long key, or one holding NUL
 * (PostgreSQL text cannot store it).
 *
 * @example
 * ```ts
 * validateKey('alice'); // ok
 * validateKey(''); // throws ERR_STORE_INVALID_KEY
 * ```
 */
export function validateKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.includes('\0') || Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new StoreError('ERR_STORE_INVALID_KEY', `Store keys are non-empty strings without NUL, of at most ${MAX_KEY_BYTES} UTF-8 bytes`);
  }
}
