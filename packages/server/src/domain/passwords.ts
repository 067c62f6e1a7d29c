/**
 * Password and client-secret hashing with argon2id at OWASP's recommended parameters, every
 * operation in a turn of the context's bounded queue (`kt.hashing`): guessing at full speed
 * then occupies at most `hashConcurrency` of libuv's threads, leaving the others to token
 * signing, and a full queue answers 503 instead of growing.
 */
import { hash, verify } from '@node-rs/argon2';
import type { Keyturn } from './context.js';
import { OAuthError } from './errors.js';
import { QueueFullError } from './lib/boundedQueue.js';

// OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Retry-After of a full argon2 queue: a turn frees within tens of ms, so soon. */
export const BUSY_RETRY_AFTER_SEC = 1;

/** `task` in a turn of the argon2 queue; a full queue is `temporarily_unavailable` (503) with Retry-After. */
async function inTurn<T>(kt: Keyturn, task: () => Promise<T>): Promise<T> {
  try {
    return await kt.hashing.run(task);
  } catch (err) {
    if (err instanceof QueueFullError) throw new OAuthError('temporarily_unavailable', 'the server is busy; try again shortly', 503, BUSY_RETRY_AFTER_SEC);
    throw err;
  }
}

/**
 * The argon2id hash (PHC string) of a password or client secret.
 *
 * @example
 * ```ts
 * const passwordHash = await hashSecret(kt, 'correct horse battery staple');
 * ```
 */
export function hashSecret(kt: Keyturn, secret: string): Promise<string> {
  return inTurn(kt, () => hash(secret, OPTIONS));
}

/**
 * Whether `secret` matches the PHC string `phc` (false for a malformed one).
 *
 * @example
 * ```ts
 * if (!(await verifySecret(kt, user.passwordHash, password))) throw new SignInError('ERR_INVALID_CREDENTIALS');
 * ```
 */
export function verifySecret(kt: Keyturn, phc: string, secret: string): Promise<boolean> {
  return inTurn(kt, () => verifyNow(phc, secret));
}

async function verifyNow(phc: string, secret: string): Promise<boolean> {
  try {
    return await verify(phc, secret);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/**
 * Spends the same time as a real verification (in the same queue), so an unknown email or
 * client takes as long as a wrong password.
 *
 * @example
 * ```ts
 * if (!user) await verifyAgainstDummy(kt, password);
 * ```
 */
export function verifyAgainstDummy(kt: Keyturn, secret: string): Promise<void> {
  return inTurn(kt, async () => {
    dummy ??= hash('keyturn-dummy-password', OPTIONS).catch((err: unknown) => {
      dummy = undefined;
      throw err;
    });
    await verifyNow(await dummy, secret);
  });
}
