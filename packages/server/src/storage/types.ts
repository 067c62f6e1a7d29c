/**
 * The one storage contract of the token server. The domain talks only to `Repository`;
 * SQLite and PostgreSQL implement it (see `./sqlite.ts`, `./postgres.ts`).
 *
 * Conventions:
 * - Every time is epoch milliseconds (`EpochMs`), never a relative duration.
 * - Opaque secrets (SSO tokens, codes, refresh tokens) are stored only as SHA-256 hashes
 *   (lowercase hex, computed by the domain). The store never sees a raw token.
 * - Each method is atomic on its own: the domain needs no transactions from outside.
 */

export type EpochMs = number;

export type RefreshPolicy = 'reuse' | 'rotate';

export interface UserRecord {
  id: string;
  /** Lowercased, trimmed; unique. */
  email: string;
  /** argon2id PHC string. */
  passwordHash: string;
  name: string | null;
  createdAt: EpochMs;
}

export interface ClientRecord {
  id: string;
  name: string | null;
  /** argon2id PHC string of the client secret; `null` for a public client. */
  secretHash: string | null;
  /** Exact strings; matched byte for byte. */
  redirectUris: string[];
  /** Scopes the client may ask for. */
  scopes: string[];
  refreshPolicy: RefreshPolicy;
  /** Absolute refresh token lifetime; `null` = server default. */
  refreshTtlSec: number | null;
  /** Idle refresh token lifetime; `null` = none. */
  refreshIdleTtlSec: number | null;
  createdAt: EpochMs;
}

export interface SsoSessionRecord {
  id: string;
  /** SHA-256 hex of the npsso cookie value. */
  tokenHash: string;
  userId: string;
  /** When the person typed their password: OIDC `auth_time`. */
  authTime: EpochMs;
  createdAt: EpochMs;
  expiresAt: EpochMs;
  revokedAt: EpochMs | null;
  userAgent: string | null;
}

export interface AuthCodeRecord {
  /** SHA-256 hex of the code. */
  codeHash: string;
  clientId: string;
  userId: string;
  ssoSessionId: string | null;
  redirectUri: string;
  /** The authorization request named `redirectUri` (else it was the client's only one): the token request must repeat it. */
  redirectUriGiven: boolean;
  /** Space-separated granted scope. */
  scope: string;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | null;
  /** A refresh token is issued with the access token. */
  offline: boolean;
  authTime: EpochMs;
  createdAt: EpochMs;
  expiresAt: EpochMs;
  consumedAt: EpochMs | null;
  /** The grant created when the code was exchanged; lets a reused code revoke it. */
  grantId: string | null;
}

/**
 * A grant is what one authorization code turned into: the access tokens and the
 * refresh token family descended from that code. Revoking it ends all of them.
 */
export interface GrantRecord {
  id: string;
  clientId: string;
  userId: string;
  ssoSessionId: string | null;
  scope: string;
  authTime: EpochMs;
  createdAt: EpochMs;
  /** Absolute end of the refresh token family (or of the last access token when offline=false). */
  expiresAt: EpochMs;
  lastUsedAt: EpochMs;
  revokedAt: EpochMs | null;
  revokedReason: string | null;
  userAgent: string | null;
}

export interface RefreshTokenRecord {
  /** SHA-256 hex of the refresh token. */
  tokenHash: string;
  grantId: string;
  /** Hash of the token this one replaced under rotation. */
  parentHash: string | null;
  createdAt: EpochMs;
  expiresAt: EpochMs;
  /** Set when rotation spent this token. */
  spentAt: EpochMs | null;
  /** Hash of the token issued in exchange for this one. */
  successorHash: string | null;
}

export interface SigningKeyRecord {
  kid: string;
  alg: 'RS256' | 'ES256' | 'EdDSA';
  /** Private JWK, encrypted with the server secret (an envelope string). */
  privateKeyEnc: string;
  /** Public JWK as JSON text. */
  publicJwk: string;
  createdAt: EpochMs;
  status: 'active' | 'retired';
  retiredAt: EpochMs | null;
}

/** Outcome of `consumeAuthCode`. */
export interface ConsumedCode {
  code: AuthCodeRecord;
  /** False when the code had already been consumed before this call (replay). */
  firstUse: boolean;
}

export class DuplicateError extends Error {
  readonly code = 'ERR_DUPLICATE';
  constructor(what: string) {
    super(`${what} already exists`);
    this.name = 'DuplicateError';
  }
}

/** The row an operation needs does not exist (e.g. `activateSigningKey` with an unknown kid). */
export class NotFoundError extends Error {
  readonly code = 'ERR_NOT_FOUND';
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

export interface Repository {
  readonly kind: 'sqlite' | 'postgres';

  // Users
  /** Throws `DuplicateError` when the email is taken. */
  createUser(user: UserRecord): Promise<void>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;

  // Clients
  /** Throws `DuplicateError` when the id is taken. */
  createClient(client: ClientRecord): Promise<void>;
  getClient(id: string): Promise<ClientRecord | null>;
  listClients(): Promise<ClientRecord[]>;
  /** Returns false when no such client. */
  deleteClient(id: string): Promise<boolean>;

  // SSO sessions
  createSsoSession(session: SsoSessionRecord): Promise<void>;
  findSsoSessionByHash(tokenHash: string): Promise<SsoSessionRecord | null>;
  /** Sets revokedAt if not yet revoked. */
  revokeSsoSession(id: string, at: EpochMs): Promise<void>;
  /** Sessions of a user not revoked and not expired at `now`, newest first (by createdAt, then id). */
  listActiveSsoSessionsForUser(userId: string, now: EpochMs): Promise<SsoSessionRecord[]>;
  /**
   * Revokes, in one atomic UPDATE, every session of a user that is neither revoked nor expired
   * at `at`, except the one with id `exceptId` (the browser asking; `null` spares none).
   * Returns how many it revoked.
   */
  revokeSsoSessionsForUser(userId: string, at: EpochMs, exceptId: string | null): Promise<number>;

  // Authorization codes
  createAuthCode(code: AuthCodeRecord): Promise<void>;
  /**
   * Atomically marks the code consumed (if it was not) and returns it. Exactly one of
   * any number of concurrent callers sees `firstUse: true`. `null` when unknown.
   */
  consumeAuthCode(codeHash: string, at: EpochMs): Promise<ConsumedCode | null>;

  // Grants and refresh tokens
  /** Inserts the grant, its first refresh token (if any), and links the code to it, in one transaction. */
  createGrant(grant: GrantRecord, firstRefreshToken: RefreshTokenRecord | null, codeHash: string | null): Promise<void>;
  getGrant(id: string): Promise<GrantRecord | null>;
  /** Grants of a user not revoked and not expired at `now`, newest first. */
  listActiveGrantsForUser(userId: string, now: EpochMs): Promise<GrantRecord[]>;
  /** Sets revokedAt/revokedReason if not yet revoked. Returns true if this call revoked it. */
  revokeGrant(id: string, at: EpochMs, reason: string): Promise<boolean>;
  /** Revokes every unrevoked grant of a user; returns how many. */
  revokeGrantsForUser(userId: string, at: EpochMs, reason: string): Promise<number>;
  /** Updates lastUsedAt. */
  touchGrant(id: string, at: EpochMs): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /**
   * Rotation, atomically: if `tokenHash` is unspent, mark it spent at `at` with
   * `successor.tokenHash` as its successor and insert `successor`; return true.
   * If it was already spent, change nothing and return false. Of concurrent callers
   * with the same token exactly one gets true.
   */
  spendRefreshToken(tokenHash: string, successor: RefreshTokenRecord, at: EpochMs): Promise<boolean>;

  // Revoked access tokens (RFC 7009 for JWTs), kept until the token would expire anyway.
  revokeAccessToken(jti: string, expiresAt: EpochMs): Promise<void>;
  isAccessTokenRevoked(jti: string): Promise<boolean>;

  // Signing keys
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  insertSigningKey(key: SigningKeyRecord): Promise<void>;
  /**
   * Makes `kid` the only active key; every other active key becomes retired at `at`. Atomic.
   * Throws `NotFoundError` (and changes nothing) when no key has that kid.
   */
  activateSigningKey(kid: string, at: EpochMs): Promise<void>;
  deleteSigningKey(kid: string): Promise<boolean>;

  // Housekeeping
  /**
   * Deletes at most `batchSize` rows of each kind that can no longer matter at `now`:
   * codes past expiry, SSO sessions past expiry, grants past expiry (with their refresh
   * tokens), revoked access tokens past expiry. Returns how many rows went.
   */
  deleteExpired(now: EpochMs, batchSize: number): Promise<number>;

  /** Applies pending migrations. Idempotent; safe when several processes start at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}
