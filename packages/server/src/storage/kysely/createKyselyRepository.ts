/**
 * `Repository` over kysely, one implementation for SQLite and PostgreSQL, composed from one
 * store per table group. Every method is one statement or one transaction; the atomic ones
 * (code consumption, refresh token rotation, key activation) rely on conditional updates
 * whose affected-row count tells the one winner, which is correct under PostgreSQL's
 * READ COMMITTED and SQLite's single writer alike.
 */
import type { Kysely } from 'kysely';
import { guardUnavailable } from '../lib/guardUnavailable.js';
import type { Repository } from '../repository.js';
import { auditEventsStore } from './auditEvents.js';
import { authCodesStore } from './authCodes.js';
import { clientsStore } from './clients.js';
import { deviceCodesStore } from './deviceCodes.js';
import { grantsStore } from './grants.js';
import { housekeepingStore } from './housekeeping.js';
import { migrateToLatest } from './migrations.js';
import { revokedAccessTokensStore } from './revokedAccessTokens.js';
import type { Database } from './schema.js';
import { signingKeysStore } from './signingKeys.js';
import { ssoSessionsStore } from './ssoSessions.js';
import { statusStore } from './status.js';
import { usersStore } from './users.js';

export interface KyselyRepositoryOptions {
  /**
   * What `close()` does, once; by default it destroys `db`. A factory that shares one `db`
   * among several repositories passes its own.
   */
  release?: () => Promise<void>;
}

/**
 * The `Repository` both backends share, over an open kysely `db`.
 *
 * @example
 * ```ts
 * const repo = createKyselyRepository(new Kysely<Database>({ dialect }), 'postgres');
 * await repo.migrate();
 * const user = await repo.findUserByEmail('ada@example.com');
 * ```
 */
export function createKyselyRepository(
  db: Kysely<Database>,
  kind: Repository['kind'],
  options: KyselyRepositoryOptions = {},
): Repository {
  const release = options.release ?? (() => db.destroy());
  let closed: Promise<void> | undefined;
  // Refused, reset, shut down, busy or locked: ServiceUnavailableError, answered 503, not 500.
  return guardUnavailable<Repository>({
    kind,
    ...usersStore(db),
    ...clientsStore(db),
    ...ssoSessionsStore(db),
    ...authCodesStore(db),
    ...grantsStore(db, kind),
    ...revokedAccessTokensStore(db),
    ...signingKeysStore(db, kind),
    ...housekeepingStore(db),
    ...deviceCodesStore(db),
    ...auditEventsStore(db),
    ...statusStore(db),
    migrate: () => migrateToLatest(db),
    /** Idempotent: a second call waits for the first. */
    close() {
      closed ??= release();
      return closed;
    },
  }, 'database');
}
