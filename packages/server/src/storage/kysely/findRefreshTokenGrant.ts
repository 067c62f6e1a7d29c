/**
 * `findRefreshTokenGrant`: a refresh token, its grant and the grant's user in one statement
 * (refresh_tokens INNER JOIN grants LEFT JOIN users), where reading them one by one took
 * three round trips.
 */
import type { Kysely } from 'kysely';
import type { RefreshTokenGrant } from '../records.js';
import { rowToGrant, rowToRefreshToken, rowToUser } from './rows.js';
import type { Database } from './schema.js';

/**
 * The refresh token whose hash is `tokenHash`, with its grant and the grant's user (`null`
 * when the user is gone); `null` when no token has that hash. Spent tokens and revoked
 * grants are returned as they are: judging them is the domain's rule.
 *
 * @example
 * ```ts
 * const found = await findRefreshTokenGrant(db, sha256Hex(refreshToken));
 * if (found === null || found.grant.revokedAt !== null) throw invalidGrant();
 * ```
 */
export async function findRefreshTokenGrant(db: Kysely<Database>, tokenHash: string): Promise<RefreshTokenGrant | null> {
  // The grant's columns keep their names; the token's and the user's, which would collide
  // with them (id, created_at, expires_at), are prefixed.
  const row = await db
    .selectFrom('refresh_tokens as rt')
    .innerJoin('grants as g', 'g.id', 'rt.grant_id')
    .leftJoin('users as u', 'u.id', 'g.user_id')
    .selectAll('g')
    .select([
      'rt.token_hash as rt_token_hash',
      'rt.grant_id as rt_grant_id',
      'rt.parent_hash as rt_parent_hash',
      'rt.created_at as rt_created_at',
      'rt.expires_at as rt_expires_at',
      'rt.spent_at as rt_spent_at',
      'rt.successor_hash as rt_successor_hash',
      'u.id as u_id',
      'u.email as u_email',
      'u.password_hash as u_password_hash',
      'u.name as u_name',
      'u.created_at as u_created_at',
      'u.status as u_status',
    ])
    .where('rt.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (row === undefined) return null;

  const token = rowToRefreshToken({
    token_hash: row.rt_token_hash,
    grant_id: row.rt_grant_id,
    parent_hash: row.rt_parent_hash,
    created_at: row.rt_created_at,
    expires_at: row.rt_expires_at,
    spent_at: row.rt_spent_at,
    successor_hash: row.rt_successor_hash,
  });
  // LEFT JOIN: with no user row every u_ column is null, though the schema makes them NOT NULL.
  const { u_id: id, u_email: email, u_password_hash: passwordHash, u_name: name, u_created_at: createdAt, u_status: status } = row;
  const user =
    id === null || email === null || passwordHash === null || createdAt === null || status === null
      ? null
      : rowToUser({ id, email, password_hash: passwordHash, name, created_at: createdAt, status });
  return { token, grant: rowToGrant(row), user };
}
