/** Where the server secret comes from: KEYTURN_SECRET, or a file created with mode 0600 in the data folder. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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
