/**
 * Contracts shared by the vault (encryption at rest), its stores, and AuthSession.
 * A `TokenStore` only moves opaque strings; the `Vault` encrypts before a store sees anything.
 */

/** Tokens as kept at rest: absolute expiry times (ISO 8601), never a relative `expiresIn`. */
export interface StoredTokens {
  accessToken: string;
  /** ISO 8601, e.g. "2026-11-21T10:00:00.000Z". */
  accessTokenExpiresAt: string;
  refreshToken: string;
  /** ISO 8601. */
  refreshTokenExpiresAt: string;
  idToken?: string;
  scope: string;
  tokenType: string;
  /** ISO 8601 of when these tokens were obtained; a newer save wins. */
  obtainedAt: string;
}

/** Options for `TokenStore.withLock`. */
export interface LockOptions {
  /** A holder that crashed loses the lock after this long. Default 30 000 ms. */
  ttlMs?: number;
  /** Give up with `ERR_LOCK_TIMEOUT` after waiting this long. Default 30 000 ms. */
  waitMs?: number;
}

/**
 * Where encrypted token blobs live. Implementations: memory, file, SQLite, PostgreSQL, Redis.
 * Every method is atomic on its own.
 */
export interface TokenStore {
  /** The stored string, or `null` when nothing is stored under `key`. */
  get(key: string): Promise<string | null>;
  /** Stores `value` under `key`, replacing what was there, durably before resolving. */
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Lists keys (for vault key rotation). */
  keys(): Promise<string[]>;
  /**
   * Runs `fn` while holding an exclusive lock named `key`, across every process that shares
   * this store (file lock, SQL row, Redis key). The lock is released when `fn` settles.
   */
  withLock<T>(key: string, fn: () => Promise<T>, options?: LockOptions): Promise<T>;
  /** Releases connections the store opened itself. */
  close(): Promise<void>;
}
