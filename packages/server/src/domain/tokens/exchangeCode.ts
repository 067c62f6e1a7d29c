/** `grant_type=authorization_code`: a single-use code, with PKCE, becomes a grant and its tokens. */
import { randomUUID } from 'node:crypto';
import type { ClientRecord, GrantRecord, RefreshTokenRecord } from '../../storage/types.js';
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
  const consumed = await kt.repo.consumeAuthCode(sha256Hex(input.code), now);
  if (!consumed) throw new OAuthError('invalid_grant', 'the authorization code is invalid');
  const { code, firstUse } = consumed;
  if (code.clientId !== client.id) throw new OAuthError('invalid_grant', 'the authorization code was issued to another client');
  if (!firstUse) {
    // RFC 6749 4.1.2: a code used twice revokes what the first use issued, even when the
    // first use is still running and has not linked its grant to the code yet.
    const grantId = code.grantId ?? (await grantOfFirstUse(kt, sha256Hex(input.code), code.consumedAt));
    if (grantId) await kt.repo.revokeGrant(grantId, kt.now(), 'authorization_code_reuse');
    throw new OAuthError('invalid_grant', 'the authorization code was already used');
  }
  if (code.expiresAt <= now) throw new OAuthError('invalid_grant', 'the authorization code has expired');
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
    id: randomUUID(),
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
  await kt.repo.createGrant(grant, refreshRecord, sha256Hex(input.code));

  const scopes = code.scope.split(' ');
  const minted = await mintTokens(kt, {
    grant,
    user,
    clientId: client.id,
    scope: code.scope,
    withIdToken: scopes.includes('openid') || input.tokenFormat === 'jwt',
    nonce: code.nonce,
  });
  return tokenResponse(minted, code.scope, refresh, now);
}

/** How long a replay waits for a concurrent first use to link its grant, and how recent that first use must be. */
const FIRST_USE_WAIT_MS = 2_000;
const FIRST_USE_POLL_MS = 20;

/**
 * The grant of a code's first use that is still in flight (consumed a moment ago, grant not yet
 * linked): polls the code until the grant appears. `null` for a first use that ended without a
 * grant (wrong verifier, expired code) or long ago.
 */
async function grantOfFirstUse(kt: Keyturn, codeHash: string, consumedAt: number | null): Promise<string | null> {
  if (consumedAt === null || kt.now() - consumedAt > FIRST_USE_WAIT_MS) return null;
  const deadline = Date.now() + FIRST_USE_WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, FIRST_USE_POLL_MS));
    // Consuming a consumed code changes nothing and returns it as it is now.
    const again = await kt.repo.consumeAuthCode(codeHash, kt.now());
    if (again?.code.grantId) return again.code.grantId;
  }
  return null;
}
