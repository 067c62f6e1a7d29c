/**
 * Authenticating the client of a token, revocation or introspection request from the
 * credentials the HTTP layer parsed. Failures are `ClientAuthError` (`invalid_client`, 401),
 * carrying the method the client tried so the HTTP layer can answer the right challenge.
 */
import type { ClientRecord } from '../storage/records.js';
import { CLIENT_ID } from './clients.js';
import type { Keyturn } from './context.js';
import { ClientAuthError, OAuthError, type ClientAuthMethod } from './errors.js';
import { verifyAgainstDummy, verifySecret } from './passwords.js';
import { countAttempt } from './throttle.js';

/** Credentials as the HTTP layer read them from the Authorization header or the form. */
export interface ClientCredentials {
  id: string | undefined;
  secret: string | undefined;
  method: ClientAuthMethod;
  /**
   * The caller's address. With it, failed secret checks are counted per address and refused
   * with 429 past `clientAuthLockAfter` (the HTTP layer always passes it).
   */
  address?: string | undefined;
}

/**
 * The registered client these credentials prove, or a `ClientAuthError`. `known`: a client
 * record the caller has just read (the refresh grant reads it with the token), used when its
 * id is the one claimed instead of reading it again.
 *
 * @example
 * ```ts
 * const client = await authenticateClient(kt, { id: 'demo-app', secret, method: 'client_secret_basic', address: '127.0.0.1' });
 * ```
 */
export async function authenticateClient(kt: Keyturn, creds: ClientCredentials, known?: ClientRecord): Promise<ClientRecord> {
  const { id, secret, method } = creds;
  if (!id) throw new ClientAuthError(method, 'client authentication is required');
  // An id no client can have (e.g. with a NUL, which PostgreSQL refuses) is an unknown client, not a lookup.
  const client = known?.id === id ? known : CLIENT_ID.test(id) ? await kt.repo.getClient(id) : null;
  if (!client) {
    // As slow as a wrong secret, so response times do not reveal which client ids exist.
    if (secret) await throttled(kt, creds.address, async () => (await verifyAgainstDummy(secret), false));
    throw new ClientAuthError(method);
  }
  if (client.secretHash === null) {
    if (secret) throw new ClientAuthError(method, 'a public client has no secret');
    return client;
  }
  if (!secret) throw new ClientAuthError(method, 'client secret is required');
  if (kt.verifiedSecrets.has(client.id, client.secretHash, secret)) return client;
  const secretHash = client.secretHash;
  if (!(await throttled(kt, creds.address, () => verifySecret(secretHash, secret)))) throw new ClientAuthError(method);
  kt.verifiedSecrets.remember(client.id, secretHash, secret);
  return client;
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
