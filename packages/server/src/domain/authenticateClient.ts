/**
 * Authenticating the client of a token, revocation or introspection request from the
 * credentials the HTTP layer parsed. Failures are `ClientAuthError` (`invalid_client`, 401),
 * carrying the method the client tried so the HTTP layer can answer the right challenge.
 */
import type { ClientRecord } from '../storage/records.js';
import { CLIENT_ID } from './clients.js';
import type { Keyturn } from './context.js';
import { ClientAuthError, OAuthError, type ClientAuthMethod } from './errors.js';
import { addressKey } from './lib/addressKey.js';
import { verifyAgainstDummy, verifySecret } from './passwords.js';
import { countAttempt } from './throttle.js';

/** Credentials as the HTTP layer read them from the Authorization header or the form. */
export interface ClientCredentials {
  id: string | undefined;
  secret: string | undefined;
  method: ClientAuthMethod;
  /**
   * The caller's address: failed secret checks are counted per address (IPv6 per network, see
   * `addressKey`) and refused with 429 past `clientAuthLockAfter`. Without one they are counted
   * in the one bucket of unknown addresses.
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
  /** The refusal, reported first; the client's id only when such a client exists (never an id a caller made up). */
  const refuse = async (known: boolean, description?: string) => {
    await kt.events.emit({ type: 'client.auth_failed', clientId: known ? id : undefined, address: creds.address, outcome: description ?? 'client authentication failed' });
    return new ClientAuthError(method, description);
  };
  if (!id) throw await refuse(false, 'client authentication is required');
  // An id no client can have (e.g. with a NUL, which PostgreSQL refuses) is an unknown client, not a lookup.
  const client = known?.id === id ? known : CLIENT_ID.test(id) ? await kt.repo.getClient(id) : null;
  if (!client) {
    // As slow as a wrong secret, so response times do not reveal which client ids exist.
    if (secret && (await counted(kt, creds.address, async () => (await verifyAgainstDummy(kt, secret), false))) === null) throw locked(kt);
    throw await refuse(false);
  }
  if (client.secretHash === null) {
    if (secret) throw await refuse(true, 'a public client has no secret');
    return client;
  }
  if (!secret) throw await refuse(true, 'client secret is required');
  const phc = client.secretHash;
  // A secret verified before (or by a check this request joins) costs no argon2, but a locked
  // address still gets 429: the lock must not turn into an oracle for the right secret.
  if (kt.verifiedSecrets.has(client.id, phc, secret)) return unlessLocked(kt, creds.address, client);
  for (;;) {
    const { verdict, joined } = kt.verifiedSecrets.verifyOnce(client.id, phc, secret, () => counted(kt, creds.address, () => verifySecret(kt, phc, secret)));
    const ok = await verdict;
    if (joined && ok !== null) await unlessLocked(kt, creds.address, null);
    if (ok) return client;
    if (ok === false) throw await refuse(true);
    // Refused before checking because of the address of the request whose check this one joined: count on its own.
    if (!joined) throw locked(kt);
  }
}

/** The key failed client authentications from `address` are counted under. */
function limitKey(kt: Keyturn, address: string | undefined): string {
  return `client:${addressKey(address, kt.config.ipv6Prefix)}`;
}

/** `value`, unless `address` is locked (then the 429 error). */
async function unlessLocked<T>(kt: Keyturn, address: string | undefined, value: T): Promise<T> {
  if ((await kt.attempts.peek(limitKey(kt, address))) >= kt.config.clientAuthLockAfter) throw locked(kt);
  return value;
}

/**
 * One argon2 check under the per-address failure limit: counted before it runs, under the
 * caller's address key (`addressKey`; an unknown address in one shared bucket, never
 * uncounted), and taken back when the secret was right or was never checked (a full argon2
 * queue). `null` when the address is locked. Besides guessing, this bounds the argon2 work
 * (19 MiB, tens of ms) one address can make the server do with wrong secrets.
 */
async function counted(kt: Keyturn, address: string | undefined, check: () => Promise<boolean>): Promise<boolean | null> {
  const key = limitKey(kt, address);
  if ((await countAttempt(kt.attempts, [key], kt.config.clientAuthLockAfter, kt.config.loginWindowSec * 1000)) === null) return null;
  let ok: boolean;
  try {
    ok = await check();
  } catch (err) {
    await kt.attempts.undo(key);
    throw err;
  }
  if (ok) await kt.attempts.undo(key);
  return ok;
}

function locked(kt: Keyturn): OAuthError {
  const windowSec = kt.config.loginWindowSec;
  return new OAuthError('temporarily_unavailable', `too many failed client authentications from this address; try again in ${windowSec} s`, 429, windowSec);
}
