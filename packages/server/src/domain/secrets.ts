/**
 * The server secret and the keys derived from it. One secret (KEYTURN_SECRET, or a file
 * created with mode 0600 in the data folder) feeds HKDF, so each use has its own key.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ServerKeys {
  /** Encrypts signing keys at rest. */
  readonly keyEncryption: Buffer;
  /** Signs CSRF tokens. */
  readonly csrf: Buffer;
  /** Derives a rotated refresh token's successor from the spent token. */
  readonly rotation: Buffer;
}

const MIN_SECRET_LENGTH = 32;

/** Reads KEYTURN_SECRET, or the secret file in `dataDir` (creating it, mode 0600, on first start). */
export async function loadServerSecret(explicit: string | null, dataDir: string): Promise<string> {
  if (explicit !== null) {
    if (explicit.length < MIN_SECRET_LENGTH) throw new Error(`KEYTURN_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
    return explicit;
  }
  const file = path.join(dataDir, 'secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= MIN_SECRET_LENGTH) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw err;
  }
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
  if (prefix !== ENVELOPE || !nonce || !body) throw new Error('unrecognised key envelope');
  const data = Buffer.from(body, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  try {
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('a signing key could not be decrypted: was KEYTURN_SECRET changed?');
  }
}
