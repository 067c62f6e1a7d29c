/**
 * The records the storage contract speaks in (see `./repository.ts`).
 *
 * - Every time is epoch milliseconds (`EpochMs`), never a relative duration.
 * - Opaque secrets (SSO tokens, codes, refresh tokens) are stored only as SHA-256 hashes
 *   (lowercase hex, computed by the domain). The store never sees a raw token.
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

/** Outcome of `findRefreshTokenGrant`: what a refresh, an introspection or a revocation reads together. */
export interface RefreshTokenGrant {
  token: RefreshTokenRecord;
  grant: GrantRecord;
  /** The grant's client: a refresh authenticates it from this row, without reading it again. */
  client: ClientRecord;
  /** `null` when the grant's user is gone. */
  user: UserRecord | null;
}
