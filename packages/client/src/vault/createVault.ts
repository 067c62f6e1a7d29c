/** `createVault`: tokens encrypted at rest with AES-256-GCM on top of any `TokenStore`. */
import { VaultError } from './errors.js';
import { looksLikeEnvelope, open, parse, plain, seal } from './lib/envelope.js';
import { parseTokens } from './lib/parseTokens.js';
import { resolveKeys, type ResolvedKey } from './lib/resolveKeys.js';
import type { CreateVaultOptions, LockOptions, RotateResult, StoredTokens, Vault } from './types.js';

/**
 * Creates a vault that encrypts every `StoredTokens` before the store sees it.
 *
 * Each entry is `kt1.<keyId>.<nonce>.<ciphertext+tag>`: AES-256-GCM with a random 96-bit nonce,
 * and the version, key id and entry name bound as additional authenticated data, so a blob moved
 * to another name fails to decrypt. The first key (or `currentKeyId`) encrypts; every key decrypts,
 * so keys can be rotated: add the new key first, call `rotate()`, then drop the old key.
 *
 * A `passphrase` is turned into the AES key with argon2id (optional peer `@node-rs/argon2`),
 * once per process. The tokens themselves are *encrypted*, not hashed: a hash cannot be undone,
 * and a client must send its refresh token back to the server. argon2id protects the passphrase.
 *
 * Errors are {@link VaultError}s: `ERR_VAULT_DECRYPT`, `ERR_VAULT_UNKNOWN_KEY`, `ERR_VAULT_CORRUPT`…
 *
 * @example
 * ```ts
 * import { createVault, createMemoryStore } from '@keyturn/client';
 *
 * const vault = createVault({
 *   store: createMemoryStore(),
 *   keys: [{ id: '2026-05', secret: process.env.KEYTURN_VAULT_KEY! }], // 32 bytes, hex or base64
 * });
 * await vault.save('alice', tokens);
 * const again = await vault.load('alice');
 * ```
 */
export function createVault(options: CreateVaultOptions): Vault {
  const { store } = options;
  if (!store) throw new VaultError('ERR_VAULT_CONFIG', 'createVault needs a store');
  const keys = resolveKeys(options);
  const byId = new Map<string, ResolvedKey>(keys.map((key) => [key.id, key]));
  const current = keys[0];
  const allowPlaintext = options.unsafePlaintext === true;

  async function encode(name: string, tokens: StoredTokens): Promise<string> {
    const json = JSON.stringify(tokens);
    if (!current) return plain(json);
    return seal(await current.material(), current.id, name, json);
  }

  async function decode(name: string, value: string): Promise<StoredTokens> {
    const envelope = parse(value, name);
    if (envelope.kind === 'plaintext') {
      if (!allowPlaintext) {
        throw new VaultError('ERR_VAULT_PLAINTEXT_REFUSED', `Vault entry "${name}" is unencrypted and unsafePlaintext is off`);
      }
      return parseTokens(envelope.json, name);
    }
    const key = byId.get(envelope.keyId);
    if (!key) throw new VaultError('ERR_VAULT_UNKNOWN_KEY', `Vault entry "${name}" is encrypted with unknown key "${envelope.keyId}"`);
    return parseTokens(open(await key.material(), envelope, name), name);
  }

  /** Whether `value` is already in the form this vault writes. */
  function isCurrent(value: string): boolean {
    if (!current) return value.startsWith('kt0.');
    return value.startsWith(`kt1.${current.id}.`);
  }

  async function load(name: string): Promise<StoredTokens | null> {
    const value = await store.get(name);
    return value === null ? null : decode(name, value);
  }

  async function save(name: string, tokens: StoredTokens): Promise<boolean> {
    const encoded = await encode(name, tokens);
    let existing: StoredTokens | null = null;
    try {
      existing = await load(name);
    } catch (err) {
      // An unreadable entry must not block fresh tokens from replacing it.
      if (!(err instanceof VaultError)) throw err;
    }
    if (existing && Date.parse(existing.obtainedAt) > Date.parse(tokens.obtainedAt)) return false;
    await store.set(name, encoded);
    return true;
  }

  async function rotate(lockOptions?: LockOptions): Promise<RotateResult> {
    const result: RotateResult = { rotated: 0, unchanged: 0, skipped: 0 };
    for (const name of await store.keys()) {
      await store.withLock(
        name,
        async () => {
          const value = await store.get(name);
          if (value === null) return;
          if (!looksLikeEnvelope(value)) {
            result.skipped += 1;
            return;
          }
          if (isCurrent(value)) {
            result.unchanged += 1;
            return;
          }
          await store.set(name, await encode(name, await decode(name, value)));
          result.rotated += 1;
        },
        lockOptions,
      );
    }
    return result;
  }

  return {
    store,
    load,
    save,
    delete: (name) => store.delete(name),
    rotate,
    withLock: (name, fn, lockOptions) => store.withLock(name, fn, lockOptions),
  };
}
