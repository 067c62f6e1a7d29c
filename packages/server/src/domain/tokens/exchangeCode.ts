/** `grant_type=authorization_code`: a single-use code, with PKCE, becomes a grant and its tokens. */
import type { AuthCodeRecord, ClientRecord, GrantRecord, RefreshTokenRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { OAuthError } from '../errors.js';
import { randomToken, safeEqual, sha256Base64Url, sha256Hex } from '../lib/crypto.js';
import { mintTokens } from './mint.js';
import { tokenResponse, type TokenResponse } from './response.js';

export interface CodeExchange {
  code?: string | undefined;
  redirectUri?: string | undefined;
  codeVerifier?: string | undefined;
  /** PlayStation's `token_format=jwt`: an ID token even without scope openid. */
  tokenFormat?: string | undefined;
  userAgent?: string | null | undefined;
}

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export async function exchangeCode(kt: Keyturn, client: ClientRecord, input: CodeExchange): Promise<TokenResponse> {
  if (!input.code) throw new OAuthError('invalid_request', 'code is required');
  if (input.code.length > 256) throw new OAuthError('invalid_grant', 'the authorization code is invalid');
  const now = kt.now();
  const codeHash = sha256Hex(input.code);
  const consumed = await kt.repo.consumeAuthCode(codeHash, now);
  if (!consumed) throw new OAuthError('invalid_grant', 'the authorization code is invalid');
  const { code, firstUse } = consumed;
  // Another client's code gets the answer of an unknown one: nothing is learnt about it.
  if (code.clientId !== client.id) throw new OAuthError('invalid_grant', 'the authorization code is invalid');
  if (!firstUse) {
    await revokeFirstUse(kt, code, grantIdForCode(codeHash));
    throw new OAuthError('invalid_grant', 'the authorization code was already used');
  }
  if (code.expiresAt <= now) throw new OAuthError('invalid_grant', 'the authorization code has expired');
  if (code.redirectUriGiven && input.redirectUri === undefined) {
    throw new OAuthError('invalid_grant', 'redirect_uri is required: the authorization request had one (RFC 6749 4.1.3)');
  }
  if (input.redirectUri !== undefined && input.redirectUri !== code.redirectUri) {
    throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request');
  }
  if (code.codeChallenge) {
    if (!input.codeVerifier) throw new OAuthError('invalid_grant', 'code_verifier is required');
    if (!VERIFIER.test(input.codeVerifier) || !safeEqual(sha256Base64Url(input.codeVerifier), code.codeChallenge)) {
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code challenge');
    }
  } else if (input.codeVerifier !== undefined) {
    // A verifier for a code issued without a challenge is a PKCE downgrade attempt (RFC 9700 2.1.1).
    throw new OAuthError('invalid_grant', 'code_verifier sent for a code issued without code_challenge');
  }

  const user = await kt.repo.findUserById(code.userId);
  if (!user) throw new OAuthError('invalid_grant', 'the account no longer exists');

  const refreshLifetime = (client.refreshTtlSec ?? kt.config.refreshTokenTtlSec) * 1000;
  const grant: GrantRecord = {
    id: grantIdForCode(codeHash),
    clientId: client.id,
    userId: user.id,
    ssoSessionId: code.ssoSessionId,
    scope: code.scope,
    authTime: code.authTime,
    createdAt: now,
    expiresAt: now + (code.offline ? refreshLifetime : kt.config.accessTokenTtlSec * 1000),
    lastUsedAt: now,
    revokedAt: null,
    revokedReason: null,
    userAgent: input.userAgent?.slice(0, 256) ?? null,
  };
  let refresh: { token: string; expiresAt: number } | null = null;
  let refreshRecord: RefreshTokenRecord | null = null;
  if (code.offline) {
    refresh = { token: randomToken(32), expiresAt: grant.expiresAt };
    refreshRecord = {
      tokenHash: sha256Hex(refresh.token),
      grantId: grant.id,
      parentHash: null,
      createdAt: now,
      expiresAt: grant.expiresAt,
      spentAt: null,
      successorHash: null,
    };
  }
  try {
    await kt.repo.createGrant(grant, refreshRecord, codeHash);
  } catch (err) {
    // A replay got there first and left a revoked grant under this id.
    if (await kt.repo.getGrant(grant.id)) throw new OAuthError('invalid_grant', 'the authorization code was already used');
    throw err;
  }

  const scopes = code.scope.split(' ');
  const minted = await mintTokens(kt, {
    grant,
    user,
    clientId: client.id,
    scope: code.scope,
    withIdToken: scopes.includes('openid') || input.tokenFormat === 'jwt',
    nonce: code.nonce,
  });
  kt.events.emit({ type: 'grant_issued', grantType: 'authorization_code', clientId: client.id, userId: user.id, outcome: 'ok', detail: { grantId: grant.id } });
  return tokenResponse(minted, code.scope, refresh, now);
}

/**
 * The grant a code turns into has an id derived from the code, so that a replay can name it
 * even while the first use is still running and has not stored it yet.
 */
export function grantIdForCode(codeHash: string): string {
  return sha256Hex(`grant:${codeHash}`).slice(0, 32);
}

const REUSE = 'authorization_code_reuse';

/**
 * RFC 6749 4.1.2: a replayed code revokes what its first use issued. Either the grant exists
 * and is revoked now, or a revoked grant is stored under its id first, so the first use's
 * insert fails and it issues nothing. Uniqueness of the id decides the race; nobody waits.
 */
async function revokeFirstUse(kt: Keyturn, code: AuthCodeRecord, grantId: string): Promise<void> {
  const now = kt.now();
  if (await kt.repo.revokeGrant(grantId, now, REUSE)) return;
  if (await kt.repo.getGrant(grantId)) return; // already revoked by an earlier replay
  try {
    await kt.repo.createGrant(
      {
        id: grantId,
        clientId: code.clientId,
        userId: code.userId,
        ssoSessionId: code.ssoSessionId,
        scope: code.scope,
        authTime: code.authTime,
        createdAt: now,
        // Long enough that a first use still in flight finds it; gc removes it afterwards.
        expiresAt: Math.max(code.expiresAt, now) + 3_600_000,
        lastUsedAt: now,
        revokedAt: now,
        revokedReason: REUSE,
        userAgent: null,
      },
      null,
      null,
    );
  } catch {
    // The first use stored its grant between our two steps: revoke it.
    await kt.repo.revokeGrant(grantId, kt.now(), REUSE);
  }
}
