/** The versioned text envelope of the vault: `kt1.<keyId>.<nonce>.<ciphertext+tag>` (AES-256-GCM). */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultError } from '../errors.js';

/**
 * Version prefix of an AES-256-GCM blob.
 *
 * @example
 * ```ts
 * blob.startsWith(`${ENCRYPTED_PREFIX}.`);
 * ```
 */
export const ENCRYPTED_PREFIX = 'kt1';
/**
 * Version prefix of a plaintext blob (only with `unsafePlaintext`).
 *
 * @example
 * ```ts
 * blob.startsWith(`${PLAINTEXT_PREFIX}.`);
 * ```
 */
export const PLAINTEXT_PREFIX = 'kt0';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A parsed blob, before decryption.
 *
 * @example
 * ```ts
 * const parsed: ParsedEnvelope = parse(blob, 'alice');
 * if (parsed.kind === 'encrypted') console.log(parsed.keyId);
 * ```
 */
export type ParsedEnvelope =
  | { kind: 'encrypted'; keyId: string; nonce: Buffer; sealed: Buffer }
  | { kind: 'plaintext'; json: string };

/**
 * The additional authenticated data: version, key id and the store key. Binding the store key means
 * a blob copied to another entry fails to decrypt instead of handing out someone else's tokens.
 */
function aad(keyId: string, name: string): Buffer {
  return Buffer.from(`${ENCRYPTED_PREFIX}.${keyId}.${name}`, 'utf8');
}

/**
 * Encrypts `plaintext` for the entry `name` with a fresh random 96-bit nonce.
 *
 * @example
 * ```ts
 * const blob = seal(key, 'k1', 'alice', JSON.stringify(tokens)); // 'kt1.k1.…'
 * ```
 */
export function seal(key: Uint8Array, keyId: string, name: string, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(keyId, name));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${ENCRYPTED_PREFIX}.${keyId}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
}

/**
 * Decrypts a parsed blob; any authentication failure is `ERR_VAULT_DECRYPT`.
 *
 * @example
 * ```ts
 * const parsed = parse(blob, 'alice');
 * if (parsed.kind === 'encrypted') JSON.parse(open(key, parsed, 'alice'));
 * ```
 */
export function open(key: Uint8Array, envelope: { keyId: string; nonce: Buffer; sealed: Buffer }, name: string): string {
  const { keyId, nonce, sealed } = envelope;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(keyId, name));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const body = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
    return body.toString('utf8');
  } catch {
    // The crypto error says nothing useful and must not be mistaken for a parse problem.
    throw new VaultError('ERR_VAULT_DECRYPT', `Vault entry "${name}" failed authentication (tampered, moved, or wrong key "${keyId}")`);
  }
}

/**
 * Wraps JSON in the plaintext envelope.
 *
 * @example
 * ```ts
 * plain('{"accessToken":"…"}'); // 'kt0.{"accessToken":"…"}'
 * ```
 */
export function plain(json: string): string {
  return `${PLAINTEXT_PREFIX}.${json}`;
}

/**
 * True when `value` starts like a vault blob of any version.
 *
 * @example
 * ```ts
 * looksLikeEnvelope('kt1.k1.abc.def'); // true
 * looksLikeEnvelope('hello'); // false
 * ```
 */
export function looksLikeEnvelope(value: string): boolean {
  return value.startsWith(`${ENCRYPTED_PREFIX}.`) || value.startsWith(`${PLAINTEXT_PREFIX}.`);
}

/**
 * Splits a blob into its parts; anything malformed is `ERR_VAULT_CORRUPT`.
 *
 * @example
 * ```ts
 * parse('kt0.{}', 'alice'); // { kind: 'plaintext', json: '{}' }
 * ```
 */
export function parse(value: string, name: string): ParsedEnvelope {
  if (value.startsWith(`${PLAINTEXT_PREFIX}.`)) {
    return { kind: 'plaintext', json: value.slice(PLAINTEXT_PREFIX.length + 1) };
  }
  const parts = value.split('.');
  const [version, keyId, nonceText, sealedText] = parts;
  if (parts.length !== 4 || version !== ENCRYPTED_PREFIX || !keyId || !nonceText || !sealedText) {
    throw corrupt(name);
  }
  if (!BASE64URL.test(nonceText) || !BASE64URL.test(sealedText)) throw corrupt(name);
  const nonce = Buffer.from(nonceText, 'base64url');
  const sealed = Buffer.from(sealedText, 'base64url');
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw corrupt(name);
  return { kind: 'encrypted', keyId, nonce, sealed };
}

function corrupt(name: string): VaultError {
  return new VaultError('ERR_VAULT_CORRUPT', `Vault entry "${name}" is not a vault envelope`);
}
