/**
 * Records for the `Repository` conformance tests: one builder per record with every field
 * set to a value that must survive storage as it is, and `seed` for what codes and grants
 * point at. Override any field: `grant({ id: 'g2', revokedAt: T0 })`.
 */
import { createHash } from 'node:crypto';
import type {
  AuthCodeRecord,
  ClientRecord,
  DeviceCodeRecord,
  GrantRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  SsoSessionRecord,
  UserRecord,
} from '../records.js';
import type { Repository } from '../repository.js';

// Past 2^31 on purpose: epoch-ms times must survive int8 columns as exact JS numbers.
export const T0 = 1_760_000_000_000;
export const HOUR = 3_600_000;

/** The SHA-256 hex a stored token, code or session would have, from a readable label. */
export const hash = (label: string): string => createHash('sha256').update(label).digest('hex');

/** Ada, `u1`. */
export function user(over: Partial<UserRecord> = {}): UserRecord {
  return {
    id: 'u1',
    email: 'ada@example.com',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    name: 'Ada Lovelace',
    createdAt: T0,
    ...over,
  };
}

/** A confidential `rotate` client `app` with a custom-scheme and a non-ASCII redirect URI. */
export function client(over: Partial<ClientRecord> = {}): ClientRecord {
  return {
    id: 'app',
    name: 'The App',
    secretHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$c2VjcmV0',
    redirectUris: ['com.example.app://redirect', 'https://app.example/cb?x=1&y=é'],
    scopes: ['openid', 'psn:mobile.v2.core', 'offline_access'],
    refreshPolicy: 'rotate',
    refreshTtlSec: 5_184_000,
    refreshIdleTtlSec: 1_209_600,
    createdAt: T0,
    grantTypes: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    ...over,
  };
}

/** Ada's SSO session `s1`, live for 60 days from `T0`. */
export function session(over: Partial<SsoSessionRecord> = {}): SsoSessionRecord {
  return {
    id: 's1',
    tokenHash: hash('sso1'),
    userId: 'u1',
    authTime: T0 - 5_000,
    createdAt: T0,
    expiresAt: T0 + 60 * 24 * HOUR,
    revokedAt: null,
    userAgent: 'Mozilla/5.0 (test)',
    ...over,
  };
}

/** An unconsumed offline code of `app` for Ada, with PKCE and nonce, expiring 60 s after `T0`. */
export function code(over: Partial<AuthCodeRecord> = {}): AuthCodeRecord {
  return {
    codeHash: hash('code1'),
    clientId: 'app',
    userId: 'u1',
    ssoSessionId: 's1',
    redirectUri: 'com.example.app://redirect',
    redirectUriGiven: true,
    scope: 'openid psn:mobile.v2.core',
    nonce: 'n-0S6_WzA2Mj',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
    offline: true,
    authTime: T0 - 5_000,
    createdAt: T0,
    expiresAt: T0 + 60_000,
    consumedAt: null,
    grantId: null,
    ...over,
  };
}

/** Ada's grant `g1` to `app`, live for 60 days from `T0`. */
export function grant(over: Partial<GrantRecord> = {}): GrantRecord {
  return {
    id: 'g1',
    clientId: 'app',
    userId: 'u1',
    ssoSessionId: 's1',
    scope: 'openid psn:mobile.v2.core',
    authTime: T0 - 5_000,
    createdAt: T0,
    expiresAt: T0 + 60 * 24 * HOUR,
    lastUsedAt: T0,
    revokedAt: null,
    revokedReason: null,
    userAgent: 'Mozilla/5.0 (test)',
    ...over,
  };
}

/** The first, unspent refresh token of `g1`. */
export function refreshToken(over: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    tokenHash: hash('rt1'),
    grantId: 'g1',
    parentHash: null,
    createdAt: T0,
    expiresAt: T0 + 60 * 24 * HOUR,
    spentAt: null,
    successorHash: null,
    ...over,
  };
}

/** A retired RS256 key `k1`. */
export function signingKey(over: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  return {
    kid: 'k1',
    alg: 'RS256',
    privateKeyEnc: 'kt1.1.aGVsbG8.d29ybGQ',
    publicJwk: '{"kty":"RSA","n":"abc","e":"AQAB"}',
    createdAt: T0,
    status: 'retired',
    retiredAt: null,
    ...over,
  };
}

/** A pending device request `dc1` of `app`, user code `dev-user1`, polled never, expiring 10 minutes after `T0`. */
export function deviceCode(over: Partial<DeviceCodeRecord> = {}): DeviceCodeRecord {
  return {
    deviceCodeHash: hash('dc1'),
    userCodeHash: hash('dev-user1'),
    clientId: 'app',
    scope: 'openid psn:mobile.v2.core',
    status: 'pending',
    intervalSec: 5,
    lastPolledAt: null,
    userId: null,
    ssoSessionId: null,
    authTime: null,
    decidedAt: null,
    createdAt: T0,
    expiresAt: T0 + 600_000,
    userAgent: 'keyturn-cli/0.1 (test)',
    ...over,
  };
}

/** A user, a client and an SSO session: what codes and grants point at. */
export async function seed(repo: Repository): Promise<void> {
  await repo.createUser(user());
  await repo.createClient(client());
  await repo.createSsoSession(session());
}
