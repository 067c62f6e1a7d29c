/** OAuth clients: registration, listing, removal, and authenticating a client at the token endpoint. */
import { DuplicateError } from '../storage/errors.js';
import type { ClientRecord, RefreshPolicy } from '../storage/records.js';
import type { Keyturn } from './context.js';
import { ManagementError, OAuthError } from './errors.js';
import { randomToken, sha256Hex, safeEqual } from './lib/crypto.js';
import { parseScope } from './scope.js';
import { hashSecret, verifyAgainstDummy, verifySecret } from './passwords.js';
import { countAttempt } from './throttle.js';

export const DEFAULT_CLIENT_SCOPE = 'openid profile email offline_access';

export interface NewClient {
  id: string;
  /** Omit with `public: true`; omit without it to have one generated. */
  secret?: string | undefined;
  public?: boolean;
  redirectUris: string[];
  scope?: string | undefined;
  refreshPolicy?: RefreshPolicy | undefined;
  name?: string | null;
  refreshTtlSec?: number | null;
  refreshIdleTtlSec?: number | null;
}

export const CLIENT_ID = /^[A-Za-z0-9._:~-]{1,128}$/;
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:']);

/** Refuses what RFC 9700 says a redirect URI must not be: relative, with a fragment, plain http off loopback. */
export function checkRedirectUri(uri: string): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ManagementError('ERR_INVALID', `redirect URI "${uri}" is not an absolute URI`);
  }
  if (uri.includes('#')) throw new ManagementError('ERR_INVALID', `redirect URI "${uri}" must not have a fragment`);
  if (FORBIDDEN_SCHEMES.has(url.protocol)) throw new ManagementError('ERR_INVALID', `redirect URI scheme ${url.protocol} is not allowed`);
  if (url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    throw new ManagementError('ERR_INVALID', `redirect URI "${uri}" must use https (plain http only on loopback)`);
  }
}

/** Registers a client. Returns the record and, for a confidential client, the secret in clear (shown once). */
export async function addClient(kt: Keyturn, input: NewClient): Promise<{ client: ClientRecord; secret: string | null }> {
  if (!CLIENT_ID.test(input.id)) throw new ManagementError('ERR_INVALID', 'client id must be 1-128 characters of A-Z a-z 0-9 . _ : ~ -');
  if (input.public && input.secret !== undefined) throw new ManagementError('ERR_INVALID', 'a public client has no secret');
  if (input.redirectUris.length === 0) throw new ManagementError('ERR_INVALID', 'at least one redirect URI is required');
  input.redirectUris.forEach(checkRedirectUri);
  const isPublic = input.public === true;
  const policy = input.refreshPolicy ?? (isPublic ? 'rotate' : 'reuse');
  if (isPublic && policy !== 'rotate') throw new ManagementError('ERR_INVALID', 'a public client must use the rotate refresh policy');
  const scopes = parseScope(input.scope ?? DEFAULT_CLIENT_SCOPE);
  if (scopes.length === 0) throw new ManagementError('ERR_INVALID', 'scope must name at least one scope');
  const secret = isPublic ? null : (input.secret ?? randomToken(32));
  if (secret !== null && secret.length < 16) throw new ManagementError('ERR_INVALID', 'a client secret must have at least 16 characters');
  const client: ClientRecord = {
    id: input.id,
    name: input.name ?? null,
    secretHash: secret === null ? null : await hashSecret(secret),
    redirectUris: [...new Set(input.redirectUris)],
    scopes,
    refreshPolicy: policy,
    refreshTtlSec: input.refreshTtlSec ?? null,
    refreshIdleTtlSec: input.refreshIdleTtlSec ?? null,
    createdAt: kt.now(),
  };
  try {
    await kt.repo.createClient(client);
  } catch (err) {
    if (err instanceof DuplicateError) throw new ManagementError('ERR_DUPLICATE', `a client with id ${input.id} already exists`);
    throw err;
  }
  return { client, secret: input.secret === undefined ? secret : null };
}

export async function removeClient(kt: Keyturn, id: string): Promise<void> {
  if (!(await kt.repo.deleteClient(id))) throw new ManagementError('ERR_NOT_FOUND', `no client with id ${id}`);
}

/** Credentials as they arrived at the token endpoint. */
export interface ClientCredentials {
  /** Raw `Authorization` header, if any. */
  authorization?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /**
   * The caller's address. With it, failed secret checks are counted per address and refused
   * with 429 past `clientAuthLockAfter` (the HTTP layer always passes it).
   */
  address?: string | undefined;
}

/** Verified secrets, so argon2 runs once per client and secret rather than once per request. */
const verified = new Map<string, { phc: string; digest: string; at: number }>();
const VERIFIED_TTL_MS = 5 * 60_000;

/** RFC 6749 5.2: 401; the http layer adds WWW-Authenticate when the client used Basic. */
function invalidClient(description = 'client authentication failed'): OAuthError {
  return new OAuthError('invalid_client', description);
}

/** Authenticates the client of a token-endpoint request; throws `invalid_client` (401). */
export async function authenticateClient(kt: Keyturn, creds: ClientCredentials): Promise<{ client: ClientRecord; viaBasic: boolean }> {
  let id = creds.clientId;
  let secret = creds.clientSecret;
  const viaBasic = typeof creds.authorization === 'string' && /^basic /i.test(creds.authorization);
  if (viaBasic) {
    if (secret !== undefined) throw new OAuthError('invalid_request', 'use one client authentication method, not two');
    const decoded = decodeBasic(creds.authorization!);
    if (!decoded) throw invalidClient('malformed Basic credentials');
    if (id !== undefined && id !== decoded.id) throw new OAuthError('invalid_request', 'client_id does not match the Basic credentials');
    ({ id, secret } = decoded);
  }
  if (!id) throw invalidClient('client authentication is required');
  // An id no client can have (e.g. with a NUL, which PostgreSQL refuses) is an unknown client, not a lookup.
  const client = CLIENT_ID.test(id) ? await kt.repo.getClient(id) : null;
  if (!client) {
    // As slow as a wrong secret, so response times do not reveal which client ids exist.
    if (secret) await throttled(kt, creds.address, async () => (await verifyAgainstDummy(secret), false));
    throw invalidClient();
  }
  if (client.secretHash === null) {
    if (secret) throw invalidClient('a public client has no secret');
    return { client, viaBasic };
  }
  if (!secret) throw invalidClient('client secret is required');
  const digest = sha256Hex(secret);
  const cached = verified.get(client.id);
  if (cached && cached.phc === client.secretHash && kt.now() - cached.at < VERIFIED_TTL_MS && safeEqual(cached.digest, digest)) {
    return { client, viaBasic };
  }
  const secretHash = client.secretHash;
  if (!(await throttled(kt, creds.address, () => verifySecret(secretHash, secret)))) throw invalidClient();
  if (verified.size > 10_000) verified.clear();
  verified.set(client.id, { phc: client.secretHash, digest, at: kt.now() });
  return { client, viaBasic };
}

/**
 * One argon2 check of a client secret under the per-address failure limit (`countAttempt`: counted
 * before the check, taken back when the secret was right). Besides guessing, this bounds the
 * argon2 work (19 MiB, tens of ms) one address can make the server do with wrong secrets.
 */
async function throttled(kt: Keyturn, address: string | undefined, check: () => Promise<boolean>): Promise<boolean> {
  if (address === undefined) return check();
  const { clientAuthLockAfter: lock, loginWindowSec: windowSec } = kt.config;
  const key = `client:${address}`;
  if ((await countAttempt(kt.attempts, [key], lock, windowSec * 1000)) === null) {
    throw new OAuthError('temporarily_unavailable', `too many failed client authentications from this address; try again in ${windowSec} s`, 429, windowSec);
  }
  const ok = await check();
  if (ok) await kt.attempts.undo(key);
  return ok;
}

function decodeBasic(header: string): { id: string; secret: string } | null {
  const encoded = header.slice(6).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 1) return null;
  try {
    // RFC 6749 2.3.1: id and secret are form-urlencoded before Basic encoding.
    return { id: decodeForm(text.slice(0, colon)), secret: decodeForm(text.slice(colon + 1)) };
  } catch {
    return null;
  }
}

function decodeForm(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}
