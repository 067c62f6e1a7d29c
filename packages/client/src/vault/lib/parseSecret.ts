/** Turns a 32-byte secret given as bytes, hex or base64(url) into key bytes. */
import { VaultError } from '../errors.js';
import type { VaultSecret } from '../types.js';

const HEX_64 = /^[0-9a-fA-F]{64}$/;
const BASE64_32 = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * Returns a private copy of the 32 key bytes, or throws `ERR_VAULT_CONFIG` (never echoing the secret).
 *
 * @example
 * ```ts
 * const key = parseSecret(process.env.VAULT_KEY!, 'k1'); // 32-byte Buffer
 * ```
 */
export function parseSecret(secret: VaultSecret, keyId: string): Buffer {
  let bytes: Buffer | undefined;
  if (secret instanceof Uint8Array) {
    bytes = Buffer.from(secret);
  } else if (typeof secret === 'string') {
    const text = secret.trim();
    if (HEX_64.test(text)) bytes = Buffer.from(text, 'hex');
    else if (BASE64_32.test(text)) bytes = Buffer.from(text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=$/, ''), 'base64url');
  }
  if (!bytes || bytes.length !== 32) {
    throw new VaultError(
      'ERR_VAULT_CONFIG',
      `Vault key "${keyId}" must be 32 bytes: a Uint8Array, 64 hex characters, or base64/base64url`,
    );
  }
  return bytes;
}
