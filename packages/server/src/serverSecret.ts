/** Where the server secret comes from: KEYTURN_SECRET, or a file created with mode 0600 in the data folder. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkServerSecret, MIN_SECRET_LENGTH } from './domain/secrets.js';

/** Reads KEYTURN_SECRET, or the secret file in `dataDir` (creating it, mode 0600, on first start). */
export async function loadServerSecret(explicit: string | null, dataDir: string): Promise<string> {
  if (explicit !== null) return checkServerSecret(explicit);
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

/** Where the secret will come from: KEYTURN_SECRET, an existing secret file, or none yet (one will be made). */
export function secretSource(explicit: string | null, dataDir: string): 'env' | 'file' | 'none' {
  if (explicit !== null) return 'env';
  return existsSync(path.join(dataDir, 'secret')) ? 'file' : 'none';
}

/**
 * Removes a secret file made moments ago that turned out to be the wrong one (the database's keys
 * were sealed with another secret), so the next run says again that no secret was given.
 */
export async function discardNewSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'secret');
  await rm(file, { force: true });
  return file;
}
