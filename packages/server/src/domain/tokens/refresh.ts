/**
 * `grant_type=refresh_token`. Policy `reuse` (PlayStation, Authing): the same refresh token
 * comes back and its expiry counts down. Policy `rotate`: a new token each time, the old one
 * spent; presenting a spent token revokes the whole grant, except a retry of the token just
 * spent, inside the retry window and before its successor was used, which gets the same
 * successor again (derived from the spent token with an HMAC, so only hashes are stored).
 */
import type { ClientRecord, GrantRecord, RefreshTokenRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { OAuthError } from '../errors.js';
import { hmacBase64Url, sha256Hex } from '../lib/crypto.js';
import { formatScope, isSubset, parseScope } from '../scope.js';
import { mintTokens } from './mint.js';
import { tokenResponse, type TokenResponse } from './response.js';

export interface RefreshRequest {
  refreshToken?: string | undefined;
  scope?: string | undefined;
  tokenFormat?: string | undefined;
}

/** The successor of a rotated refresh token: recomputable from the spent token, unguessable without the server secret. */
export function successorOf(kt: Keyturn, token: string): string {
  return hmacBase64Url(kt.secrets.rotation, token);
}

export async function refreshTokens(kt: Keyturn, client: ClientRecord, input: RefreshRequest): Promise<TokenResponse> {
  const token = input.refreshToken;
  if (!token) throw new OAuthError('invalid_request', 'refresh_token is required');
  if (token.length > 512) throw new OAuthError('invalid_grant', 'the refresh token is invalid');
  const now = kt.now();
  const hash = sha256Hex(token);
  const record = await kt.repo.findRefreshToken(hash);
  if (!record) throw new OAuthError('invalid_grant', 'the refresh token is invalid');
  const grant = await kt.repo.getGrant(record.grantId);
  // Another client's token gets the answer of an unknown one: nothing is learnt about it.
  if (!grant || grant.clientId !== client.id) throw new OAuthError('invalid_grant', 'the refresh token is invalid');
  if (grant.revokedAt !== null) throw new OAuthError('invalid_grant', 'the refresh token has been revoked');
  if (grant.expiresAt <= now || record.expiresAt <= now) throw new OAuthError('invalid_grant', 'the refresh token has expired');
  if (client.refreshIdleTtlSec !== null && grant.lastUsedAt + client.refreshIdleTtlSec * 1000 <= now) {
    throw new OAuthError('invalid_grant', 'the refresh token has expired after a period without use');
  }

  let scope = grant.scope;
  if (input.scope !== undefined && input.scope.trim() !== '') {
    let requested: string[];
    try {
      requested = parseScope(input.scope);
    } catch {
      throw new OAuthError('invalid_scope', 'scope has characters RFC 6749 does not allow');
    }
    // Narrowing is allowed, widening never (RFC 6749 6).
    if (!isSubset(requested, grant.scope.split(' '))) throw new OAuthError('invalid_scope', 'scope may only narrow on refresh');
    scope = formatScope(requested);
  }

  const user = await kt.repo.findUserById(grant.userId);
  if (!user) throw new OAuthError('invalid_grant', 'the account no longer exists');

  let outToken = token;
  if (client.refreshPolicy === 'rotate' || record.spentAt !== null) {
    outToken = await rotate(kt, grant, record, token, now);
  }
  await kt.repo.touchGrant(grant.id, now);

  const minted = await mintTokens(kt, {
    grant,
    user,
    clientId: client.id,
    scope,
    withIdToken: grant.scope.split(' ').includes('openid') || input.tokenFormat === 'jwt',
  });
  return tokenResponse(minted, scope, { token: outToken, expiresAt: Math.min(grant.expiresAt, record.expiresAt) }, now);
}

async function rotate(kt: Keyturn, grant: GrantRecord, record: RefreshTokenRecord, token: string, now: number): Promise<string> {
  const successor = successorOf(kt, token);
  const successorHash = sha256Hex(successor);
  if (record.spentAt === null) {
    const spent = await kt.repo.spendRefreshToken(
      record.tokenHash,
      { tokenHash: successorHash, grantId: grant.id, parentHash: record.tokenHash, createdAt: now, expiresAt: record.expiresAt, spentAt: null, successorHash: null },
      now,
    );
    if (spent) return successor;
  }
  // Spent already (by an earlier request, or by a racing one a moment ago).
  const current = (await kt.repo.findRefreshToken(record.tokenHash)) ?? record;
  const next = current.successorHash ? await kt.repo.findRefreshToken(current.successorHash) : null;
  const withinWindow = current.spentAt !== null && now - current.spentAt <= kt.config.rotationRetryWindowSec * 1000;
  if (withinWindow && current.successorHash === successorHash && next !== null && next.spentAt === null) {
    return successor;
  }
  await kt.repo.revokeGrant(grant.id, now, 'refresh_token_reuse');
  throw new OAuthError('invalid_grant', 'the refresh token was already used; every token of this sign-in has been revoked');
}
