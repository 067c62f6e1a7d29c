/** The per-profile server and client settings `login` remembers, so `token` needs no flags. */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from './errors.js';
import { ensureHome } from './home.js';

/** What `login` remembers per profile. Kept in a 0600 file. */
export interface Profile {
  baseUrl: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  scope: string;
}

const PROFILE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const PROFILES_FILE = 'profiles.json';

/** Profile names become file-store keys and appear in commands we print: keep them plain. */
export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new CliError(`--profile "${name}" is not a usable name: use at most 64 letters, digits, ".", "_" or "-"`, 2);
  }
  return name;
}

/** Every saved profile by name; none when the file does not exist yet. */
export async function readProfiles(home: string): Promise<Record<string, Profile>> {
  const file = path.join(home, PROFILES_FILE);
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, Profile>) : {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'not JSON'}): remove it and sign in again with keyturn login`);
  }
}

/**
 * Saves one profile (0600: it may hold a client secret given with --client-secret). A secret
 * that came from KEYTURN_CLIENT_SECRET is never written: whoever keeps it in the environment
 * keeps it off the disk.
 */
export async function writeProfile(home: string, name: string, profile: Profile, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await ensureHome(home);
  const all = await readProfiles(home);
  const { clientSecret, ...rest } = profile;
  all[name] = clientSecret !== undefined && clientSecret !== env.KEYTURN_CLIENT_SECRET ? profile : rest;
  const file = path.join(home, PROFILES_FILE);
  await writeFile(file, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}
