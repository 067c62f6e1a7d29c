/**
 * `Repository` over kysely, one class for SQLite and PostgreSQL. Every method is one
 * statement or one transaction; the atomic ones (code consumption, refresh token
 * rotation, key activation) rely on conditional updates whose affected-row count tells
 * the one winner, which is correct under PostgreSQL's READ COMMITTED and SQLite's
 * single writer alike.
 */
import { sql, type Kysely } from 'kysely';
import { DuplicateError, NotFoundError } from '../errors.js';
import type {
  AuthCodeRecord,
  ClientRecord,
  ConsumedCode,
  EpochMs,
  GrantRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  SsoSessionRecord,
  UserRecord,
} from '../records.js';
import type { Repository } from '../repository.js';
import { migrateToLatest } from './migrations.js';
import * as rows from './rows.js';
import type { Database } from './schema.js';

/** Arbitrary constant key of the PostgreSQL advisory lock that serializes key activation. */
const SIGNING_KEYS_LOCK = 0x6b74_6b65_7973; // "ktkeys"

function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

function count(n: bigint | undefined): number {
  return n === undefined ? 0 : Number(n);
}

/**
 * The `Repository` implementation shared by both backends.
 *
 * @example
 * ```ts
 * const repo = new KyselyRepository(new Kysely<Database>({ dialect }), 'postgres');
 * await repo.migrate();
 * const user = await repo.findUserByEmail('ada@example.com');
 * ```
 */
export class KyselyRepository implements Repository {
  readonly #db: Kysely<Database>;
  readonly #release: () => Promise<void>;
  #closed: Promise<void> | undefined;

  /**
   * @param options.release What `close()` does, once; by default it destroys `db`. A
   *   factory that shares one `db` among several repositories passes its own.
   */
  constructor(
    db: Kysely<Database>,
    readonly kind: 'sqlite' | 'postgres',
    options: { release?: () => Promise<void> } = {},
  ) {
    this.#db = db;
    this.#release = options.release ?? (() => db.destroy());
  }

  // Users

  async createUser(user: UserRecord): Promise<void> {
    try {
      await this.#db.insertInto('users').values(rows.userToRow(user)).execute();
    } catch (err) {
      // The message names neither the email nor the id: both may end up in a log.
      if (isUniqueViolation(err)) throw new DuplicateError('A user with this email or id');
      throw err;
    }
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const row = await this.#db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row === undefined ? null : rows.rowToUser(row);
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const row = await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : rows.rowToUser(row);
  }

  // Clients

  async createClient(client: ClientRecord): Promise<void> {
    try {
      await this.#db.insertInto('clients').values(rows.clientToRow(client)).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateError(`Client ${JSON.stringify(client.id)}`);
      throw err;
    }
  }

  async getClient(id: string): Promise<ClientRecord | null> {
    const row = await this.#db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : rows.rowToClient(row);
  }

  /** Oldest first. */
  async listClients(): Promise<ClientRecord[]> {
    const list = await this.#db.selectFrom('clients').selectAll().orderBy('created_at').orderBy('id').execute();
    return list.map(rows.rowToClient);
  }

  /** Also deletes, by cascade, the client's codes, grants and their refresh tokens. */
  async deleteClient(id: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('clients').where('id', '=', id).executeTakeFirst();
    return count(r.numDeletedRows) > 0;
  }

  // SSO sessions

  async createSsoSession(session: SsoSessionRecord): Promise<void> {
    await this.#db.insertInto('sso_sessions').values(rows.ssoSessionToRow(session)).execute();
  }

  async findSsoSessionByHash(tokenHash: string): Promise<SsoSessionRecord | null> {
    const row = await this.#db
      .selectFrom('sso_sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row === undefined ? null : rows.rowToSsoSession(row);
  }

  async revokeSsoSession(id: string, at: EpochMs): Promise<void> {
    await this.#db
      .updateTable('sso_sessions')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async listActiveSsoSessionsForUser(userId: string, now: EpochMs): Promise<SsoSessionRecord[]> {
    const list = await this.#db
      .selectFrom('sso_sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return list.map(rows.rowToSsoSession);
  }

  async revokeSsoSessionsForUser(userId: string, at: EpochMs, exceptId: string | null): Promise<number> {
    let update = this.#db
      .updateTable('sso_sessions')
      .set({ revoked_at: at })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', at);
    if (exceptId !== null) update = update.where('id', '<>', exceptId);
    const r = await update.executeTakeFirst();
    return count(r.numUpdatedRows);
  }

  // Authorization codes

  async createAuthCode(code: AuthCodeRecord): Promise<void> {
    await this.#db.insertInto('auth_codes').values(rows.authCodeToRow(code)).execute();
  }

  async consumeAuthCode(codeHash: string, at: EpochMs): Promise<ConsumedCode | null> {
    // The conditional update is the whole race: only one caller's update matches.
    const won = await this.#db
      .updateTable('auth_codes')
      .set({ consumed_at: at })
      .where('code_hash', '=', codeHash)
      .where('consumed_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (won !== undefined) return { code: rows.rowToAuthCode(won), firstUse: true };
    const row = await this.#db.selectFrom('auth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
    return row === undefined ? null : { code: rows.rowToAuthCode(row), firstUse: false };
  }

  // Grants and refresh tokens

  async createGrant(grant: GrantRecord, firstRefreshToken: RefreshTokenRecord | null, codeHash: string | null): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.insertInto('grants').values(rows.grantToRow(grant)).execute();
      if (firstRefreshToken !== null) {
        await trx.insertInto('refresh_tokens').values(rows.refreshTokenToRow(firstRefreshToken)).execute();
      }
      if (codeHash !== null) {
        await trx.updateTable('auth_codes').set({ grant_id: grant.id }).where('code_hash', '=', codeHash).execute();
      }
    });
  }

  async getGrant(id: string): Promise<GrantRecord | null> {
    const row = await this.#db.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : rows.rowToGrant(row);
  }

  async listActiveGrantsForUser(userId: string, now: EpochMs): Promise<GrantRecord[]> {
    const list = await this.#db
      .selectFrom('grants')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return list.map(rows.rowToGrant);
  }

  async revokeGrant(id: string, at: EpochMs, reason: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('grants')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return count(r.numUpdatedRows) === 1;
  }

  async revokeGrantsForUser(userId: string, at: EpochMs, reason: string): Promise<number> {
    const r = await this.#db
      .updateTable('grants')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return count(r.numUpdatedRows);
  }

  /** Never moves `lastUsedAt` backwards (a slow request finishing late cannot undo a newer touch). */
  async touchGrant(id: string, at: EpochMs): Promise<void> {
    await this.#db
      .updateTable('grants')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .where('last_used_at', '<', at)
      .execute();
  }

  async findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const row = await this.#db
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row === undefined ? null : rows.rowToRefreshToken(row);
  }

  async spendRefreshToken(tokenHash: string, successor: RefreshTokenRecord, at: EpochMs): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      // On PostgreSQL a concurrent caller blocks on the row lock taken here, then re-checks
      // `spent_at` after we commit and matches nothing.
      const r = await trx
        .updateTable('refresh_tokens')
        .set({ spent_at: at, successor_hash: successor.tokenHash })
        .where('token_hash', '=', tokenHash)
        .where('spent_at', 'is', null)
        .executeTakeFirst();
      if (count(r.numUpdatedRows) !== 1) return false;
      await trx.insertInto('refresh_tokens').values(rows.refreshTokenToRow(successor)).execute();
      return true;
    });
  }

  // Revoked access tokens

  async revokeAccessToken(jti: string, expiresAt: EpochMs): Promise<void> {
    await this.#db
      .insertInto('revoked_access_tokens')
      .values({ jti, expires_at: expiresAt })
      .onConflict((oc) => oc.column('jti').doNothing())
      .execute();
  }

  async isAccessTokenRevoked(jti: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('revoked_access_tokens')
      .select('jti')
      .where('jti', '=', jti)
      .executeTakeFirst();
    return row !== undefined;
  }

  // Signing keys

  /** Oldest first. */
  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    const list = await this.#db.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
    return list.map(rows.rowToSigningKey);
  }

  async insertSigningKey(key: SigningKeyRecord): Promise<void> {
    await this.#db.insertInto('signing_keys').values(rows.signingKeyToRow(key)).execute();
  }

  async activateSigningKey(kid: string, at: EpochMs): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      if (this.kind === 'postgres') {
        // Two concurrent activations would each miss the other's uncommitted key under
        // READ COMMITTED and leave two active; the lock makes them take turns.
        await sql`select pg_advisory_xact_lock(${sql.lit(SIGNING_KEYS_LOCK)})`.execute(trx);
      }
      const r = await trx
        .updateTable('signing_keys')
        .set({ status: 'active', retired_at: null })
        .where('kid', '=', kid)
        .executeTakeFirst();
      if (count(r.numUpdatedRows) !== 1) throw new NotFoundError('Signing key');
      await trx
        .updateTable('signing_keys')
        .set({ status: 'retired', retired_at: at })
        .where('status', '=', 'active')
        .where('kid', '<>', kid)
        .execute();
    });
  }

  async deleteSigningKey(kid: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('signing_keys').where('kid', '=', kid).executeTakeFirst();
    return count(r.numDeletedRows) > 0;
  }

  // Housekeeping

  async deleteExpired(now: EpochMs, batchSize: number): Promise<number> {
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError('batchSize must be a positive integer');
    }
    const db = this.#db;
    let total = 0;

    const codes = await db
      .deleteFrom('auth_codes')
      .where('code_hash', 'in', db.selectFrom('auth_codes').select('code_hash').where('expires_at', '<', now).limit(batchSize))
      .executeTakeFirst();
    total += count(codes.numDeletedRows);

    // A grant goes only once its refresh tokens are gone, so both deletions stay bounded
    // even for a rotated family with more tokens than one batch.
    const tokens = await db
      .deleteFrom('refresh_tokens')
      .where(
        'token_hash',
        'in',
        db
          .selectFrom('refresh_tokens as rt')
          .innerJoin('grants as g', 'g.id', 'rt.grant_id')
          .select('rt.token_hash')
          .where('g.expires_at', '<', now)
          .limit(batchSize),
      )
      .executeTakeFirst();
    total += count(tokens.numDeletedRows);

    const grants = await db
      .deleteFrom('grants')
      .where(
        'id',
        'in',
        db
          .selectFrom('grants as g')
          .select('g.id')
          .where('g.expires_at', '<', now)
          .where(({ not, exists, selectFrom }) =>
            not(exists(selectFrom('refresh_tokens as rt').select('rt.token_hash').whereRef('rt.grant_id', '=', 'g.id'))),
          )
          .limit(batchSize),
      )
      .executeTakeFirst();
    total += count(grants.numDeletedRows);

    const sessions = await db
      .deleteFrom('sso_sessions')
      .where('id', 'in', db.selectFrom('sso_sessions').select('id').where('expires_at', '<', now).limit(batchSize))
      .executeTakeFirst();
    total += count(sessions.numDeletedRows);

    const revoked = await db
      .deleteFrom('revoked_access_tokens')
      .where(
        'jti',
        'in',
        db.selectFrom('revoked_access_tokens').select('jti').where('expires_at', '<', now).limit(batchSize),
      )
      .executeTakeFirst();
    total += count(revoked.numDeletedRows);

    return total;
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.#db);
  }

  /** Idempotent: a second call waits for the first. */
  close(): Promise<void> {
    this.#closed ??= this.#release();
    return this.#closed;
  }
}
