/** OAuth clients: registration and removal, and the rules a client id and a redirect URI must meet. */
import { DuplicateError } from '../storage/errors.js';
import type { ClientRecord, RefreshPolicy } from '../storage/records.js';
import type { Keyturn } from './context.js';
import { ManagementError, ScopeError } from './errors.js';
import { DEFAULT_GRANT_TYPES, parseGrantTypes } from './grantTypes.js';
import { randomToken } from './lib/crypto.js';
import { parseScope } from './scope.js';
import { hashSecret } from './passwords.js';

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
  /** Grant type names, short (`device_code`) or full; default `authorization_code` and `refresh_token`. */
  grantTypes?: string[] | undefined;
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
  const scopes = clientScopes(input.scope ?? DEFAULT_CLIENT_SCOPE);
  if (scopes.length === 0) throw new ManagementError('ERR_INVALID', 'scope must name at least one scope');
  const grantTypes = input.grantTypes === undefined ? [...DEFAULT_GRANT_TYPES] : parseGrantTypes(input.grantTypes);
  const secret = isPublic ? null : (input.secret ?? randomToken(32));
  if (secret !== null && secret.length < 16) throw new ManagementError('ERR_INVALID', 'a client secret must have at least 16 characters');
  const client: ClientRecord = {
    id: input.id,
    name: input.name ?? null,
    secretHash: secret === null ? null : await hashSecret(kt, secret),
    redirectUris: [...new Set(input.redirectUris)],
    scopes,
    refreshPolicy: policy,
    refreshTtlSec: input.refreshTtlSec ?? null,
    refreshIdleTtlSec: input.refreshIdleTtlSec ?? null,
    createdAt: kt.now(),
    grantTypes,
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

function clientScopes(scope: string): string[] {
  try {
    return parseScope(scope);
  } catch (err) {
    if (err instanceof ScopeError) throw new ManagementError('ERR_INVALID', `scope "${scope}": ${err.message}`);
    throw err;
  }
}
