/**
 * Converts between the records of `../records.ts` and the rows of `./schema.ts`.
 * Reading is strict: a value the schema cannot hold means a corrupt row, and we say so
 * (without echoing the value) rather than hand the domain something half-typed.
 */
import { CorruptRowError } from '../errors.js';
import type {
  AuthCodeRecord,
  ClientRecord,
  GrantRecord,
  GrantType,
  RefreshTokenRecord,
  SigningKeyRecord,
  SsoSessionRecord,
  UserRecord,
} from '../records.js';
import type {
  AuthCodesTable,
  ClientsTable,
  GrantsTable,
  RefreshTokensTable,
  SigningKeysTable,
  SsoSessionsTable,
  UsersTable,
} from './schema.js';

// PostgreSQL int8 arrives as a number through the pool's type parser; this guards against
// a driver configured otherwise (a string or bigint would silently break comparisons).
export function num(value: unknown, table: string, column: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+$/.test(value))) return Number(value);
  throw new CorruptRowError(table, column);
}

export function numOrNull(value: unknown, table: string, column: string): number | null {
  return value === null || value === undefined ? null : num(value, table, column);
}

function stringArray(text: string, table: string, column: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CorruptRowError(table, column);
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) {
    throw new CorruptRowError(table, column);
  }
  return parsed as string[];
}

export function userToRow(u: UserRecord): UsersTable {
  return { id: u.id, email: u.email, password_hash: u.passwordHash, name: u.name, created_at: u.createdAt };
}

export function rowToUser(r: UsersTable): UserRecord {
  return {
    id: r.id,
    email: r.email,
    passwordHash: r.password_hash,
    name: r.name,
    createdAt: num(r.created_at, 'users', 'created_at'),
  };
}

export function clientToRow(c: ClientRecord): ClientsTable {
  return {
    id: c.id,
    name: c.name,
    secret_hash: c.secretHash,
    redirect_uris: JSON.stringify(c.redirectUris),
    scopes: JSON.stringify(c.scopes),
    refresh_policy: c.refreshPolicy,
    refresh_ttl_sec: c.refreshTtlSec,
    refresh_idle_ttl_sec: c.refreshIdleTtlSec,
    created_at: c.createdAt,
    grant_types: JSON.stringify(c.grantTypes),
  };
}

export function rowToClient(r: ClientsTable): ClientRecord {
  if (r.refresh_policy !== 'reuse' && r.refresh_policy !== 'rotate') {
    throw new CorruptRowError('clients', 'refresh_policy');
  }
  return {
    id: r.id,
    name: r.name,
    secretHash: r.secret_hash,
    redirectUris: stringArray(r.redirect_uris, 'clients', 'redirect_uris'),
    scopes: stringArray(r.scopes, 'clients', 'scopes'),
    refreshPolicy: r.refresh_policy,
    refreshTtlSec: numOrNull(r.refresh_ttl_sec, 'clients', 'refresh_ttl_sec'),
    refreshIdleTtlSec: numOrNull(r.refresh_idle_ttl_sec, 'clients', 'refresh_idle_ttl_sec'),
    createdAt: num(r.created_at, 'clients', 'created_at'),
    grantTypes: grantTypes(stringArray(r.grant_types, 'clients', 'grant_types')),
  };
}

const GRANT_TYPES: readonly string[] = ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'] satisfies GrantType[];

function grantTypes(values: string[]): GrantType[] {
  if (!values.every((v) => GRANT_TYPES.includes(v))) throw new CorruptRowError('clients', 'grant_types');
  return values as GrantType[];
}

export function ssoSessionToRow(s: SsoSessionRecord): SsoSessionsTable {
  return {
    id: s.id,
    token_hash: s.tokenHash,
    user_id: s.userId,
    auth_time: s.authTime,
    created_at: s.createdAt,
    expires_at: s.expiresAt,
    revoked_at: s.revokedAt,
    user_agent: s.userAgent,
  };
}

export function rowToSsoSession(r: SsoSessionsTable): SsoSessionRecord {
  const t = 'sso_sessions';
  return {
    id: r.id,
    tokenHash: r.token_hash,
    userId: r.user_id,
    authTime: num(r.auth_time, t, 'auth_time'),
    createdAt: num(r.created_at, t, 'created_at'),
    expiresAt: num(r.expires_at, t, 'expires_at'),
    revokedAt: numOrNull(r.revoked_at, t, 'revoked_at'),
    userAgent: r.user_agent,
  };
}

export function authCodeToRow(c: AuthCodeRecord): AuthCodesTable {
  return {
    code_hash: c.codeHash,
    client_id: c.clientId,
    user_id: c.userId,
    sso_session_id: c.ssoSessionId,
    redirect_uri: c.redirectUri,
    redirect_uri_given: c.redirectUriGiven ? 1 : 0,
    scope: c.scope,
    nonce: c.nonce,
    code_challenge: c.codeChallenge,
    code_challenge_method: c.codeChallengeMethod,
    offline: c.offline ? 1 : 0,
    auth_time: c.authTime,
    created_at: c.createdAt,
    expires_at: c.expiresAt,
    consumed_at: c.consumedAt,
    grant_id: c.grantId,
  };
}

export function rowToAuthCode(r: AuthCodesTable): AuthCodeRecord {
  const t = 'auth_codes';
  const method = r.code_challenge_method;
  if (method !== null && method !== 'S256') throw new CorruptRowError(t, 'code_challenge_method');
  return {
    codeHash: r.code_hash,
    clientId: r.client_id,
    userId: r.user_id,
    ssoSessionId: r.sso_session_id,
    redirectUri: r.redirect_uri,
    redirectUriGiven: num(r.redirect_uri_given, t, 'redirect_uri_given') !== 0,
    scope: r.scope,
    nonce: r.nonce,
    codeChallenge: r.code_challenge,
    codeChallengeMethod: method,
    offline: num(r.offline, t, 'offline') !== 0,
    authTime: num(r.auth_time, t, 'auth_time'),
    createdAt: num(r.created_at, t, 'created_at'),
    expiresAt: num(r.expires_at, t, 'expires_at'),
    consumedAt: numOrNull(r.consumed_at, t, 'consumed_at'),
    grantId: r.grant_id,
  };
}

export function grantToRow(g: GrantRecord): GrantsTable {
  return {
    id: g.id,
    client_id: g.clientId,
    user_id: g.userId,
    sso_session_id: g.ssoSessionId,
    scope: g.scope,
    auth_time: g.authTime,
    created_at: g.createdAt,
    expires_at: g.expiresAt,
    last_used_at: g.lastUsedAt,
    revoked_at: g.revokedAt,
    revoked_reason: g.revokedReason,
    user_agent: g.userAgent,
  };
}

export function rowToGrant(r: GrantsTable): GrantRecord {
  const t = 'grants';
  return {
    id: r.id,
    clientId: r.client_id,
    userId: r.user_id,
    ssoSessionId: r.sso_session_id,
    scope: r.scope,
    authTime: num(r.auth_time, t, 'auth_time'),
    createdAt: num(r.created_at, t, 'created_at'),
    expiresAt: num(r.expires_at, t, 'expires_at'),
    lastUsedAt: num(r.last_used_at, t, 'last_used_at'),
    revokedAt: numOrNull(r.revoked_at, t, 'revoked_at'),
    revokedReason: r.revoked_reason,
    userAgent: r.user_agent,
  };
}

export function refreshTokenToRow(rt: RefreshTokenRecord): RefreshTokensTable {
  return {
    token_hash: rt.tokenHash,
    grant_id: rt.grantId,
    parent_hash: rt.parentHash,
    created_at: rt.createdAt,
    expires_at: rt.expiresAt,
    spent_at: rt.spentAt,
    successor_hash: rt.successorHash,
  };
}

export function rowToRefreshToken(r: RefreshTokensTable): RefreshTokenRecord {
  const t = 'refresh_tokens';
  return {
    tokenHash: r.token_hash,
    grantId: r.grant_id,
    parentHash: r.parent_hash,
    createdAt: num(r.created_at, t, 'created_at'),
    expiresAt: num(r.expires_at, t, 'expires_at'),
    spentAt: numOrNull(r.spent_at, t, 'spent_at'),
    successorHash: r.successor_hash,
  };
}

export function signingKeyToRow(k: SigningKeyRecord): SigningKeysTable {
  return {
    kid: k.kid,
    alg: k.alg,
    private_key_enc: k.privateKeyEnc,
    public_jwk: k.publicJwk,
    created_at: k.createdAt,
    status: k.status,
    retired_at: k.retiredAt,
  };
}

export function rowToSigningKey(r: SigningKeysTable): SigningKeyRecord {
  const t = 'signing_keys';
  if (r.alg !== 'RS256' && r.alg !== 'ES256' && r.alg !== 'EdDSA') throw new CorruptRowError(t, 'alg');
  if (r.status !== 'active' && r.status !== 'retired') throw new CorruptRowError(t, 'status');
  return {
    kid: r.kid,
    alg: r.alg,
    privateKeyEnc: r.private_key_enc,
    publicJwk: r.public_jwk,
    createdAt: num(r.created_at, t, 'created_at'),
    status: r.status,
    retiredAt: numOrNull(r.retired_at, t, 'retired_at'),
  };
}
