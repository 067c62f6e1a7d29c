/**
 * Contracts shared by the vault (encryption at rest), its stores, and AuthSession.
 * A `TokenStore` only moves opaque strings; the `Vault` encrypts before a store sees anything.
 */

/**
 * Tokens as kept at rest: absolute expiry times (ISO 8601), never a relative `expiresIn`.
 *
 * @example
 * ```ts
 * const tokens: StoredTokens = {
 *   accessToken: 'eyJ…', accessTokenExpiresAt: '2026-11-21T10:00:00.000Z',
 *   refreshToken: 'r…', refreshTokenExpiresAt: '2027-01-20T09:00:00.000Z',
 *   scope: 'psn:mobile.v2.core', tokenType: 'bearer', obtainedAt: '2026-11-21T09:00:00.000Z',
 * };
 * await vault.save('alice', tokens);
 * ```
 */
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
  /**
   * The token endpoint that issued these tokens, e.g. `http://127.0.0.1:8080/api/authz/v3/oauth/token`.
   * A session refreshes only there. Absent in entries saved before tokens remembered their issuer.
   */
  tokenEndpoint?: string;
  /** The client the tokens were issued to; a session refreshes only as this client. */
  clientId?: string;
}

/**
 * Where a refresh token may be sent: the token endpoint that issued it and the client it was issued to.
 *
 * @example
 * ```ts
 * const issuer: TokenIssuer = { tokenEndpoint: 'http://127.0.0.1:8080/api/authz/v3/oauth/token', clientId: 'my-bot' };
 * if (err instanceof IssuerMismatchError) console.error(`tokens belong to ${err.issuedBy.tokenEndpoint}`);
 * ```
 */
export interface TokenIssuer {
  tokenEndpoint: string;
  clientId: string;
}

/**
 * Options for `TokenStore.withLock`.
 *
 * @example
 * ```ts
 * await store.withLock('alice', refresh, { ttlMs: 10_000, waitMs: 5_000 });
 * ```
 */
export interface LockOptions {
  /** A holder that crashed loses the lock after this long. Default 30 000 ms. */
  ttlMs?: number;
  /** Give up with `ERR_LOCK_TIMEOUT` after waiting this long. Default 30 000 ms. */
  waitMs?: number;
}

/**
 * Where encrypted token blobs live. Implementations: memory, file, SQLite, PostgreSQL, Redis.
 * Every method is atomic on its own.
 *
 * @example
 * ```ts
 * const store: TokenStore = await createRedisStore({ url: 'redis://127.0.0.1:6379' });
 * await store.withLock('alice', async () => {
 *   await store.set('alice', blob);
 * });
 * ```
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

/**
 * A 32-byte AES-256 key: raw bytes, 64 hex characters, or base64 / base64url (43–44 characters).
 *
 * @example
 * ```ts
 * const secret: VaultSecret = process.env.VAULT_KEY!; // `openssl rand -hex 32`
 * ```
 */
export type VaultSecret = Uint8Array | string;

/**
 * A key given directly as 32 secret bytes.
 *
 * @example
 * ```ts
 * const key: VaultSecretKey = { id: '2026-05', secret: randomBytes(32) };
 * ```
 */
export interface VaultSecretKey {
  /** Written into every blob it encrypts; letters, digits, `_` and `-`, at most 64. Not secret. */
  id: string;
  secret: VaultSecret;
}

/**
 * A key derived with argon2id from a passphrase (needs the optional peer `@node-rs/argon2`).
 *
 * @example
 * ```ts
 * const key: VaultPassphraseKey = { id: 'p1', passphrase: process.env.PASSPHRASE!, salt: process.env.VAULT_SALT };
 * ```
 */
export interface VaultPassphraseKey {
  /** Written into every blob it encrypts; letters, digits, `_` and `-`, at most 64. Not secret. */
  id: string;
  passphrase: string;
  /**
   * argon2id salt (not secret, at least 16 bytes). Default: SHA-256 of `keyturn-vault-v1:<id>`, so
   * every process derives the same key from the same passphrase without sharing any state. Set a
   * random per-deployment salt to stop one precomputed guess list from fitting every deployment.
   */
  salt?: Uint8Array | string;
  /** argon2id cost. Default (OWASP minimum): memoryCost 19456 KiB, timeCost 2, parallelism 1. */
  cost?: { memoryCost?: number; timeCost?: number; parallelism?: number };
}

/**
 * One key of a vault. The first one (or `currentKeyId`) encrypts; all of them decrypt.
 *
 * @example
 * ```ts
 * const keys: VaultKey[] = [{ id: 'new', secret: newKey }, { id: 'old', passphrase: oldPassphrase }];
 * ```
 */
export type VaultKey = VaultSecretKey | VaultPassphraseKey;

/**
 * Options of `createVault`.
 *
 * @example
 * ```ts
 * const options: CreateVaultOptions = { store: createMemoryStore(), keys: [{ id: 'k1', secret }] };
 * const vault = createVault(options);
 * ```
 */
export interface CreateVaultOptions {
  store: TokenStore;
  /** Keys, newest first. Needed unless `passphrase` is given or `unsafePlaintext` is true. */
  keys?: VaultKey[];
  /** Shorthand for `keys: [{ id: 'p1', passphrase }]` (combined with `keys` if both are given, first). */
  passphrase?: string;
  /** Id of the key that encrypts. Default: the first key. Lets a new key be rolled out decrypt-only first. */
  currentKeyId?: string;
  /**
   * Stores tokens readable by anyone who can read the store (JSON after a `kt0.` prefix) when no key
   * is given; with keys, only allows READING such blobs so `rotate()` can encrypt them. For tests.
   */
  unsafePlaintext?: boolean;
}

/**
 * What `vault.rotate()` did.
 *
 * @example
 * ```ts
 * const { rotated, unchanged, skipped } = await vault.rotate();
 * ```
 */
export interface RotateResult {
  /** Entries re-encrypted with the current key (or encrypted for the first time). */
  rotated: number;
  /** Entries already encrypted with the current key. */
  unchanged: number;
  /** Store keys holding something that is not a vault blob, left alone. */
  skipped: number;
}

/**
 * Encrypted token storage on top of a `TokenStore`.
 *
 * @example
 * ```ts
 * const vault: Vault = createVault({ store, keys: [{ id: 'k1', secret }] });
 * await vault.withLock('alice', async () => {
 *   const tokens = await vault.load('alice');
 *   if (tokens) await vault.save('alice', await refresh(tokens));
 * });
 * ```
 */
export interface Vault {
  /** The store the vault writes to (its `withLock`, `close`… stay usable). */
  readonly store: TokenStore;
  /** Decrypts the tokens saved under `name`, or `null` when there are none. */
  load(name: string): Promise<StoredTokens | null>;
  /**
   * Encrypts and saves `tokens` under `name` unless what is stored has a strictly newer
   * `obtainedAt` (then nothing is written and the result is `false`). The compare and the write are
   * not one atomic step; run `save` inside `withLock(name, …)` when several writers race.
   */
  save(name: string, tokens: StoredTokens): Promise<boolean>;
  delete(name: string): Promise<void>;
  /**
   * Re-encrypts every entry of the store with the current key, each under `withLock(name)`.
   * Stops with the load error (e.g. `ERR_VAULT_UNKNOWN_KEY`) at the first entry it cannot read;
   * entries done so far stay done, so it is safe to run again. Not inside `withLock` of any entry.
   */
  rotate(options?: LockOptions): Promise<RotateResult>;
  /** `store.withLock(name, fn, options)`: one holder across every process sharing the store. */
  withLock<T>(name: string, fn: () => Promise<T>, options?: LockOptions): Promise<T>;
}
