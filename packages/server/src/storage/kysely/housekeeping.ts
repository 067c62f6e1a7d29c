/** Housekeeping of the kysely `Repository`: deleting, in bounded batches, the rows that can no longer matter. */
import type { Kysely } from 'kysely';
import type { EpochMs } from '../records.js';
import type { Repository } from '../repository.js';
import { deleteBatch } from './lib/deleteBatch.js';
import type { Database } from './schema.js';

export type HousekeepingStore = Pick<Repository, 'deleteExpired'>;

/**
 * The housekeeping method of `Repository` over `db`.
 *
 * @example
 * ```ts
 * while ((await housekeepingStore(db).deleteExpired(Date.now(), 500)) > 0);
 * ```
 */
export function housekeepingStore(db: Kysely<Database>): HousekeepingStore {
  return {
    async deleteExpired(now: EpochMs, batchSize: number) {
      if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
        throw new RangeError('batchSize must be a positive integer');
      }
      let total = 0;
      total += await deleteBatch(db, 'auth_codes', 'code_hash', db.selectFrom('auth_codes').select('code_hash').where('expires_at', '<', now), batchSize);
      total += await deleteBatch(db, 'device_codes', 'device_code_hash', db.selectFrom('device_codes').select('device_code_hash').where('expires_at', '<', now), batchSize);
      // A grant goes only once its refresh tokens are gone, so both deletions stay bounded
      // even for a rotated family with more tokens than one batch. In this order, one call
      // can take an expired grant's last tokens and then the grant.
      const tokensOfExpiredGrants = db
        .selectFrom('refresh_tokens as rt')
        .innerJoin('grants as g', 'g.id', 'rt.grant_id')
        .select('rt.token_hash')
        .where('g.expires_at', '<', now);
      total += await deleteBatch(db, 'refresh_tokens', 'token_hash', tokensOfExpiredGrants, batchSize);
      const expiredGrantsWithoutTokens = db
        .selectFrom('grants as g')
        .select('g.id')
        .where('g.expires_at', '<', now)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('refresh_tokens as rt').select('rt.token_hash').whereRef('rt.grant_id', '=', 'g.id'))),
        );
      total += await deleteBatch(db, 'grants', 'id', expiredGrantsWithoutTokens, batchSize);
      total += await deleteBatch(db, 'sso_sessions', 'id', db.selectFrom('sso_sessions').select('id').where('expires_at', '<', now), batchSize);
      total += await deleteBatch(
        db,
        'revoked_access_tokens',
        'jti',
        db.selectFrom('revoked_access_tokens').select('jti').where('expires_at', '<', now),
        batchSize,
      );
      return total;
    },
  };
}
