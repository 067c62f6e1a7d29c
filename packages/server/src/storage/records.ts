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
  /** A disabled person cannot sign in, and nothing issued to them works. */
  status: UserStatus;
}

export type UserStatus = 'active' | 'disabled';

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
  /** Grant types the token endpoint accepts from this client (full names, RFC 8628's URN included). */
  grantTypes: GrantType[];
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

/** The grant types a client can be allowed, by their full names (RFC 6749, RFC 8628). */
export type GrantType = 'authorization_code' | 'refresh_token' | 'urn:ietf:params:oauth:grant-type:device_code';

/** Where a device authorization request (RFC 8628) stands: waiting for the person, decided, or turned into tokens. */
export type DeviceCodeStatus = 'pending' | 'approved' | 'denied' | 'consumed';

/**
 * A device authorization request (RFC 8628): the device polls with `device_code`, the person
 * types `user_code` on the `/device` page. Both are stored only as SHA-256 hashes.
 */
export interface DeviceCodeRecord {
  /** SHA-256 hex of the device code. */
  deviceCodeHash: string;
  /** SHA-256 hex of the normalised user code (8 letters, upper case, no dash); unique. */
  userCodeHash: string;
  clientId: string;
  /** Space-separated scope the device asked for. */
  scope: string;
  status: DeviceCodeStatus;
  /** The polling interval the device must keep; grows by 5 s with each `slow_down`. */
  intervalSec: number;
  lastPolledAt: EpochMs | null;
  /** Who approved or denied, from which SSO session, and when they had signed in: set by the decision. */
  userId: string | null;
  ssoSessionId: string | null;
  authTime: EpochMs | null;
  decidedAt: EpochMs | null;
  createdAt: EpochMs;
  expiresAt: EpochMs;
  /** User-Agent of the device's request, for the account page. */
  userAgent: string | null;
}

/** The person's decision on a device request, as `decideDeviceCode` stores it. */
export interface DeviceDecision {
  status: 'approved' | 'denied';
  userId: string;
  ssoSessionId: string;
  authTime: EpochMs;
}

/**
 * One entry of the audit trail: a security event, who it concerned and who caused it. Never a
 * secret: no password, token, code or hash of one.
 */
export interface AuditEventRecord {
  /** Sorts in the order events happened: zero-padded time, then a per-process sequence. */
  id: string;
  time: EpochMs;
  /** What happened, e.g. `signin.failed`, `grant.issued` (see the domain's `SecurityEventType`). */
  type: string;
  /** The person the event is about (kept after the person is removed). */
  userId: string | null;
  /** Their email at the time (lowercased), or the email typed for an unknown account. */
  email: string | null;
  clientId: string | null;
  /** The network address the request came from, when there was one. */
  address: string | null;
  /** Who caused it: `person`, `client`, `operator` or `system`. */
  actor: string | null;
  /** A short, secret-free note (a reason, a key id, a count). */
  detail: string | null;
}

/** Which audit events to list; every field narrows, none widens. */
export interface AuditEventFilter {
  userId?: string | undefined;
  email?: string | undefined;
  clientId?: string | undefined;
  /** Events at or after this time. */
  since?: EpochMs | undefined;
  /** At most this many (the newest when `newestFirst`, else the oldest). */
  limit?: number | undefined;
  /** Default false: oldest first, as a log reads. */
  newestFirst?: boolean | undefined;
}
