/** Typed errors of the token vault and its stores: switch on the stable `code`, never on the message. */

/**
 * Every code a {@link VaultError} can carry.
 *
 * @example
 * ```ts
 * function describe(code: VaultErrorCode): string {
 *   return code === 'ERR_VAULT_DECRYPT' ? 'tampered or wrong key' : code;
 * }
 * ```
 */
export type VaultErrorCode =
  /** The options passed to `createVault` are unusable (no key, bad secret length, duplicate id…). */
  | 'ERR_VAULT_CONFIG'
  /** Authentication of a blob failed: tampered, truncated, wrong key, or moved to another name. */
  | 'ERR_VAULT_DECRYPT'
  /** The blob names a key id the vault was not given. */
  | 'ERR_VAULT_UNKNOWN_KEY'
  /** The blob is not a vault envelope, or decrypts to something that is not `StoredTokens`. */
  | 'ERR_VAULT_CORRUPT'
  /** A plaintext blob was found but the vault was not created with `unsafePlaintext: true`. */
  | 'ERR_VAULT_PLAINTEXT_REFUSED'
  /** The optional peer dependency `@node-rs/argon2` is needed for a passphrase and is missing. */
  | 'ERR_VAULT_DEPENDENCY_MISSING';

/**
 * A vault failure. Messages never contain key material, passphrases or token values.
 *
 * @example
 * ```ts
 * try {
 *   await vault.load('alice');
 * } catch (err) {
 *   if (err instanceof VaultError && err.code === 'ERR_VAULT_DECRYPT') {
 *     // tampered or wrong key: ask the user to sign in again
 *   }
 * }
 * ```
 */
export class VaultError extends Error {
  override readonly name = 'VaultError';

  constructor(
    readonly code: VaultErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Every code a {@link StoreError} can carry.
 *
 * @example
 * ```ts
 * if (err instanceof StoreError && err.code === 'ERR_LOCK_TIMEOUT') retryLater();
 * ```
 */
export type StoreErrorCode =
  /** `withLock` waited `waitMs` without getting the lock. */
  | 'ERR_LOCK_TIMEOUT'
  /** The store's driver (better-sqlite3, pg, ioredis) is an optional peer dependency and is missing. */
  | 'ERR_STORE_DEPENDENCY_MISSING'
  /** A key is empty, too long, or otherwise unusable by this store. */
  | 'ERR_STORE_INVALID_KEY'
  /** The store factory got unusable options (bad table name, both a client and a URL…). */
  | 'ERR_STORE_CONFIG'
  /** What the backend holds under a key cannot be read back. */
  | 'ERR_STORE_CORRUPT';

/**
 * A token store failure.
 *
 * @example
 * ```ts
 * try {
 *   await store.withLock('alice', refresh, { waitMs: 5_000 });
 * } catch (err) {
 *   if (err instanceof StoreError && err.code === 'ERR_LOCK_TIMEOUT') {
 *     // someone else is refreshing for too long; try again later
 *   }
 * }
 * ```
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
