/**
 * The server secret and the keys derived from it: one secret feeds HKDF, so each use has its
 * own key; signing keys are sealed at rest under one of them. Where the secret comes from
 * (KEYTURN_SECRET or a file) is the composition root's business (`../serverSecret.ts`).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { KeyError } from './errors.js';

export interface ServerKeys {
  /** Encrypts signing keys at rest. */
  readonly keyEncryption: Buffer;
  /** Signs CSRF tokens. */
  readonly csrf: Buffer;
  /** Derives a rotated refresh token's successor from the spent token. */
  readonly rotation: Buffer;
}

export const MIN_SECRET_LENGTH = 32;

/** Throws `ERR_SECRET_TOO_SHORT` for a secret HKDF should not be fed with. */
export function checkServerSecret(secret: string, source = 'KEYTURN_SECRET'): string {
  if (secret.length < MIN_SECRET_LENGTH) throw new KeyError('ERR_SECRET_TOO_SHORT', `${source} must be at least ${MIN_SECRET_LENGTH} characters`);
  return secret;
}

export function deriveServerKeys(secret: string): ServerKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'keyturn', info, 32));
  return {
    keyEncryption: derive('signing-key-encryption'),
    csrf: derive('csrf'),
    rotation: derive('refresh-rotation'),
  };
}

const ENVELOPE = 'ktk1';

/** AES-256-GCM envelope `ktk1.<nonce>.<ciphertext+tag>`, bound to `aad` (the key id). */
export function seal(key: Buffer, plaintext: string, aad: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${ENVELOPE}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
}

export function open(key: Buffer, envelope: string, aad: string): string {
  const [prefix, nonce, body] = envelope.split('.');
  if (prefix !== ENVELOPE || !nonce || !body) throw new KeyError('ERR_KEY_ENVELOPE', 'unrecognised key envelope');
  const data = Buffer.from(body, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  try {
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new KeyError('ERR_KEY_UNREADABLE', 'a signing key could not be decrypted: was KEYTURN_SECRET changed?');
  }
}
