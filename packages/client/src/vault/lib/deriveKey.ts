/** argon2id key derivation from a passphrase, done once per process for each (passphrase, salt, cost). */
import { createHash } from 'node:crypto';
import { VaultError } from '../errors.js';
import type { VaultPassphraseKey } from '../types.js';

/**
 * OWASP Password Storage Cheat Sheet minimum for argon2id: m=19 MiB, t=2, p=1.
 *
 * @example
 * ```ts
 * const cost = { ...DEFAULT_ARGON2_COST, timeCost: 3 };
 * ```
 */
export const DEFAULT_ARGON2_COST = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The part of `@node-rs/argon2` we use, typed here so the optional peer's types are not needed. */
interface Argon2Module {
  hashRaw(
    password: string | Uint8Array,
    options: { algorithm: number; memoryCost: number; timeCost: number; parallelism: number; outputLen: number; salt: Uint8Array },
  ): Promise<Uint8Array>;
}

/** `Algorithm.Argon2id` of @node-rs/argon2 (a const enum, so not importable under isolatedModules). */
const ARGON2ID = 2;

// Keyed by a SHA-256 of the inputs so the passphrase itself is not kept as a map key.
const cache = new Map<string, Promise<Buffer>>();

/**
 * The default salt: deterministic per key id, so independent processes agree without sharing state.
 *
 * @example
 * ```ts
 * defaultSalt('p1').length; // 16
 * ```
 */
export function defaultSalt(keyId: string): Buffer {
  return createHash('sha256').update(`keyturn-vault-v1:${keyId}`, 'utf8').digest().subarray(0, 16);
}

function saltBytes(key: VaultPassphraseKey): Buffer {
  if (key.salt === undefined) return defaultSalt(key.id);
  const bytes = typeof key.salt === 'string' ? Buffer.from(key.salt, 'utf8') : Buffer.from(key.salt);
  if (bytes.length < 16) {
    throw new VaultError('ERR_VAULT_CONFIG', `Vault key "${key.id}" needs a salt of at least 16 bytes`);
  }
  return bytes;
}

async function loadArgon2(): Promise<Argon2Module> {
  try {
    const mod = (await import('@node-rs/argon2')) as unknown as Argon2Module & { default?: Argon2Module };
    return typeof mod.hashRaw === 'function' ? mod : (mod.default as Argon2Module);
  } catch (cause) {
    throw new VaultError(
      'ERR_VAULT_DEPENDENCY_MISSING',
      'A vault passphrase needs the optional peer dependency @node-rs/argon2 (npm install @node-rs/argon2)',
      { cause },
    );
  }
}

/**
 * Derives the 32-byte AES key of a passphrase key with argon2id. The first call starts the work and
 * every later call in the process (from any vault) gets the same promise; a failure is not cached.
 *
 * @example
 * ```ts
 * const key = await deriveKey({ id: 'p1', passphrase: 'correct horse battery staple' }); // 32 bytes
 * ```
 */
export function deriveKey(key: VaultPassphraseKey): Promise<Buffer> {
  if (typeof key.passphrase !== 'string' || key.passphrase.length === 0) {
    return Promise.reject(new VaultError('ERR_VAULT_CONFIG', `Vault key "${key.id}" has an empty passphrase`));
  }
  let salt: Buffer;
  try {
    salt = saltBytes(key);
  } catch (err) {
    return Promise.reject(err);
  }
  const cost = { ...DEFAULT_ARGON2_COST, ...key.cost };
  const cacheKey = createHash('sha256')
    .update(key.passphrase, 'utf8')
    .update('\0')
    .update(salt)
    .update(`\0${cost.memoryCost}:${cost.timeCost}:${cost.parallelism}`)
    .digest('hex');
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const pending = loadArgon2()
    .then((argon2) => argon2.hashRaw(key.passphrase, { algorithm: ARGON2ID, ...cost, outputLen: 32, salt }))
    .then((raw) => Buffer.from(raw));
  cache.set(cacheKey, pending);
  pending.catch(() => cache.delete(cacheKey));
  return pending;
}
