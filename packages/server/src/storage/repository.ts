/**
 * The one storage contract of the token server. The domain talks only to `Repository`;
 * SQLite and PostgreSQL implement it (see `./sqlite.ts`, `./postgres.ts`).
 *
 * Each method is atomic on its own: the domain needs no transactions from outside.
 */
import type {
  AuditEventFilter,
  AuditEventRecord,
  AuthCodeRecord,
  ClientRecord,
  ConsumedCode,
  DeviceCodeRecord,
  DeviceDecision,
  EpochMs,
  GrantRecord,
  RefreshTokenGrant,
  RefreshTokenRecord,
  SigningKeyRecord,
  SsoSessionRecord,
  UserRecord,
  UserStatus,
} from './records.js';

/** What `countLive` answers. */
export interface LiveCounts {
  users: number;
  grants: number;
  ssoSessions: number;
}

export interface Repository {
  readonly kind: 'sqlite' | 'postgres';

  // Users
  /** Throws `DuplicateError` when the email is taken. */
  createUser(user: UserRecord): Promise<void>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
  /** Every person, oldest first (then by email). */
  listUsers(): Promise<UserRecord[]>;
  /** Returns false when no such user. */
  setUserStatus(id: string, status: UserStatus): Promise<boolean>;
  /** Replaces the password hash; returns false when no such user. */
  setUserPasswordHash(id: string, passwordHash: string): Promise<boolean>;
  /**
   * Deletes the user and, by foreign-key cascade in the same statement, their SSO sessions,
   * grants, refresh tokens and codes; their audit events stay. Returns false when no such user.
   */
  deleteUser(id: string): Promise<boolean>;

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
  /**
   * Inserts the grant, its first refresh token (if any), and links the code to it, in one transaction.
   * Throws `NotFoundError` (and inserts nothing) when `codeHash` names no stored code: it was
   * deleted by `deleteOutstandingAuthCodesForUser` while being exchanged.
   */
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
  /** The refresh token with this hash, its grant, the grant's client and user (null when the user is gone), in one query. */
  findRefreshTokenGrant(tokenHash: string): Promise<RefreshTokenGrant | null>;
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

  // Ending sessions (issue 9: codes do not outlive the sign-in that issued them)
  findSsoSessionById(id: string): Promise<SsoSessionRecord | null>;
  /**
   * Deletes, in one statement, every authorization code of a user that has not become a grant
   * (unexchanged, or being exchanged right now: `createGrant` with it then fails). Returns how many.
   */
  deleteOutstandingAuthCodesForUser(userId: string): Promise<number>;
  // Device authorization requests (RFC 8628); `deleteExpired` also deletes them past expiry.
  /** Throws `DuplicateError` when the user code hash is taken (the caller draws another code). */
  createDeviceCode(code: DeviceCodeRecord): Promise<void>;
  findDeviceCode(deviceCodeHash: string): Promise<DeviceCodeRecord | null>;
  /** The request with this user code that is still pending and not expired at `now`, or null. */
  findPendingDeviceCode(userCodeHash: string, now: EpochMs): Promise<DeviceCodeRecord | null>;
  /**
   * Records the person's decision, atomically: only a request still pending and not expired at
   * `at` changes. Of concurrent decisions exactly one gets true.
   */
  decideDeviceCode(deviceCodeHash: string, decision: DeviceDecision, at: EpochMs): Promise<boolean>;
  /**
   * Compare-and-set of the poll bookkeeping: sets `lastPolledAt = at` and `intervalSec` only if
   * `lastPolledAt` is still `previousPolledAt`. False when a concurrent poll got there first.
   */
  recordDevicePoll(deviceCodeHash: string, previousPolledAt: EpochMs | null, at: EpochMs, intervalSec: number): Promise<boolean>;
  /**
   * Turns an approved request into `consumed`, atomically, and returns it; of any number of
   * concurrent callers exactly one gets the record, the others (and any later caller) null.
   */
  consumeDeviceCode(deviceCodeHash: string, at: EpochMs): Promise<DeviceCodeRecord | null>;

  // Audit trail (security events), kept for the configured retention.
  /** Appends one event. Throws `DuplicateError` when the id is taken. */
  appendAuditEvent(event: AuditEventRecord): Promise<void>;
  /** Events matching every field of `filter`, in id order (oldest first unless `newestFirst`). */
  listAuditEvents(filter: AuditEventFilter): Promise<AuditEventRecord[]>;
  /** Deletes at most `batchSize` events older than `before`; returns how many went. */
  deleteAuditEventsBefore(before: EpochMs, batchSize: number): Promise<number>;

  /**
   * Applies pending migrations and returns the names applied. Idempotent; safe when several
   * processes start at once. Throws `DatabaseNewerError` on a database a newer Keyturn migrated.
   */
  migrate(): Promise<string[]>;

  // Status (probes, metrics, the start banner)
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** How many people there are, and how many grants and SSO sessions are live (not revoked, not expired) at `now`. */
  countLive(now: EpochMs): Promise<LiveCounts>;
  close(): Promise<void>;
}
