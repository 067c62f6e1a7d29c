/**
 * Starting a grant: what a finished sign-in turns into (an exchanged authorization code, an
 * approved device), stored with its first refresh token, and the first token response. One
 * place for the rules both share: the lifetimes, who gets a refresh token, the ID token.
 */
import type { ClientRecord, GrantRecord, RefreshTokenRecord, UserRecord } from '../../storage/records.js';
import { NotFoundError } from '../../storage/errors.js';
import type { Keyturn } from '../context.js';
import { OAuthError } from '../errors.js';
import { allowsGrant } from '../grantTypes.js';
import { randomToken, sha256Hex } from '../lib/crypto.js';
import { mintTokens } from './mint.js';
import { tokenResponse, type TokenResponse } from './response.js';

export interface GrantStart {
  /** The grant's id; derived from the code so that a replay can name it (`grantIdForCode`). */
  id: string;
  client: ClientRecord;
  user: UserRecord;
  ssoSessionId: string | null;
  /** Space-separated granted scope. */
  scope: string;
  authTime: number;
  /** The sign-in asked for offline access; a refresh token comes only if the client may also use the refresh_token grant. */
  offline: boolean;
  userAgent?: string | null | undefined;
  nonce?: string | null | undefined;
  /** PlayStation's `token_format=jwt`: an ID token even without scope openid. */
  tokenFormat?: string | undefined;
  /** The authorization code the grant came from, linked to it in the same transaction. */
  codeHash?: string | null | undefined;
  /** Why the grant cannot start when a grant with this id already exists (a replay got there first). */
  alreadyUsed: string;
}

/**
 * How long a grant of `client` lasts from its start: the refresh token lifetime (the client's,
 * else the server's) when it gets one, else the access token's.
 *
 * @example
 * ```ts
 * const endsAt = kt.now() + grantLifetimeMs(kt, client, true);
 * ```
 */
export function grantLifetimeMs(kt: Keyturn, client: ClientRecord, offline: boolean): number {
  if (!offline || !allowsGrant(client, 'refresh_token')) return kt.config.accessTokenTtlSec * 1000;
  return (client.refreshTtlSec ?? kt.config.refreshTokenTtlSec) * 1000;
}

/**
 * Stores the grant (and its refresh token) and mints the first access and ID tokens.
 *
 * @example
 * ```ts
 * return startGrant(kt, { id: grantIdForCode(codeHash), client, user, ssoSessionId, scope, authTime, offline: true, alreadyUsed: 'the code was already used' });
 * ```
 */
export async function startGrant(kt: Keyturn, start: GrantStart): Promise<TokenResponse> {
  const { client, user } = start;
  const now = kt.now();
  const offline = start.offline && allowsGrant(client, 'refresh_token');
  const grant: GrantRecord = {
    id: start.id,
    clientId: client.id,
    userId: user.id,
    ssoSessionId: start.ssoSessionId,
    scope: start.scope,
    authTime: start.authTime,
    createdAt: now,
    expiresAt: now + grantLifetimeMs(kt, client, offline),
    lastUsedAt: now,
    revokedAt: null,
    revokedReason: null,
    userAgent: start.userAgent?.slice(0, 256) ?? null,
  };
  const refresh = offline ? { token: randomToken(32), expiresAt: grant.expiresAt } : null;
  const refreshRecord: RefreshTokenRecord | null = refresh && {
    tokenHash: sha256Hex(refresh.token),
    grantId: grant.id,
    parentHash: null,
    createdAt: now,
    expiresAt: grant.expiresAt,
    spentAt: null,
    successorHash: null,
  };
  try {
    await kt.repo.createGrant(grant, refreshRecord, start.codeHash ?? null);
  } catch (err) {
    // A replay got there first and left a revoked grant under this id.
    if (await kt.repo.getGrant(grant.id)) throw new OAuthError('invalid_grant', start.alreadyUsed);
    // The person's sessions ended meanwhile and took the code along (endPersonSessions).
    if (err instanceof NotFoundError) throw new OAuthError('invalid_grant', 'the sign-in that issued the authorization code has ended');
    throw err;
  }
  const minted = await mintTokens(kt, {
    grant,
    user,
    clientId: client.id,
    scope: start.scope,
    withIdToken: start.scope.split(' ').includes('openid') || start.tokenFormat === 'jwt',
    nonce: start.nonce ?? null,
  });
  return tokenResponse(minted, start.scope, refresh, now);
}
