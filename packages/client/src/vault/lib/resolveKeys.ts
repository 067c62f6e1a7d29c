/** Validates the keys given to `createVault` and turns each into a lazily available AES key. */
import { VaultError } from '../errors.js';
import type { CreateVaultOptions, VaultKey } from '../types.js';
import { deriveKey } from './deriveKey.js';
import { parseSecret } from './parseSecret.js';

const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A key ready for use: secrets are parsed at once, passphrases derived on first use.
 *
 * @example
 * ```ts
 * const [current] = resolveKeys({ store, keys: [{ id: 'k1', secret }] });
 * const bytes = await current!.material();
 * ```
 */
export interface ResolvedKey {
  id: string;
  material(): Promise<Buffer>;
}

/**
 * Returns the keys (current first) or `[]` for a plaintext vault; throws `ERR_VAULT_CONFIG` on bad input.
 *
 * @example
 * ```ts
 * const keys = resolveKeys({ store, passphrase: 'words', keys: [{ id: 'old', secret }] });
 * keys.map((key) => key.id); // ['p1', 'old']
 * ```
 */
export function resolveKeys(options: CreateVaultOptions): ResolvedKey[] {
  const given: VaultKey[] = [];
  if (options.passphrase !== undefined) given.push({ id: 'p1', passphrase: options.passphrase });
  if (options.keys) given.push(...options.keys);

  const seen = new Set<string>();
  const resolved: ResolvedKey[] = given.map((key) => {
    if (typeof key.id !== 'string' || !KEY_ID.test(key.id)) {
      throw new VaultError('ERR_VAULT_CONFIG', 'Vault key ids are 1-64 letters, digits, "_" or "-"');
    }
    if (seen.has(key.id)) throw new VaultError('ERR_VAULT_CONFIG', `Vault key id "${key.id}" is given twice`);
    seen.add(key.id);
    if ('secret' in key) {
      const bytes = Promise.resolve(parseSecret(key.secret, key.id));
      return { id: key.id, material: () => bytes };
    }
    if ('passphrase' in key) {
      return { id: key.id, material: () => deriveKey(key) };
    }
    throw new VaultError('ERR_VAULT_CONFIG', `Vault key "${(key as { id: string }).id}" needs a secret or a passphrase`);
  });

  if (resolved.length === 0) {
    if (options.unsafePlaintext === true) return [];
    throw new VaultError('ERR_VAULT_CONFIG', 'createVault needs keys or a passphrase (or unsafePlaintext: true)');
  }
  if (options.currentKeyId !== undefined) {
    const index = resolved.findIndex((key) => key.id === options.currentKeyId);
    if (index < 0) throw new VaultError('ERR_VAULT_CONFIG', `currentKeyId "${options.currentKeyId}" is not among the keys`);
    const [current] = resolved.splice(index, 1);
    resolved.unshift(current as ResolvedKey);
  }
  return resolved;
}
