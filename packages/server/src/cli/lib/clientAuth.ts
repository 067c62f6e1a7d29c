/**
 * What `keyturn login`, `token` and `status` share: where the client side keeps its state
 * (`$KEYTURN_HOME`, else `$XDG_CONFIG_HOME/keyturn`, else `~/.config/keyturn`), the encrypted
 * vault in it, the per-profile client settings, and the flags that choose a server and client.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import {
  KeyturnError,
  OAUTH_PATH,
  PSN_BASE_URL,
  PSN_CLIENT_ID,
  PSN_REDIRECT_URI,
  PSN_SCOPE,
  VaultError,
  createVault,
  type ExchangeOptions,
  type Vault,
} from '@keyturn/client';
import { createFileStore } from '@keyturn/client/stores/file';
import { CliError } from './errors.js';

/** Flags every client-side command takes. */
export interface ClientFlags {
  profile: string;
  server?: string;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  scope?: string;
}

/** What `login` remembers per profile so `token` needs no flags. Kept in a 0600 file. */
export interface Profile {
  baseUrl: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  scope: string;
}

const PROFILE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const KEY_FILE = 'vault.key';
const PROFILES_FILE = 'profiles.json';

/** Adds --profile, --server and the client flags (PlayStation's values by default). */
export function clientOptions(cmd: Command): Command {
  return cmd
    .option('--profile <name>', 'name the tokens are stored under', 'default')
    .option('--server <origin>', `Keyturn server origin, e.g. http://127.0.0.1:8080 (paths ${OAUTH_PATH}/…); default PlayStation's`)
    .option('--client-id <id>', `OAuth client id (default PlayStation's ${PSN_CLIENT_ID})`)
    .option('--client-secret <secret>', 'client secret (omit for a public client; env KEYTURN_CLIENT_SECRET)')
    .option('--redirect-uri <uri>', `registered redirect URI (default ${PSN_REDIRECT_URI})`)
    .option('--scope <scope>', `scopes to ask for (default "${PSN_SCOPE}")`);
}

/** `$KEYTURN_HOME`, else `$XDG_CONFIG_HOME/keyturn`, else `~/.config/keyturn`. */
export function keyturnHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KEYTURN_HOME) return path.resolve(env.KEYTURN_HOME);
  const config = env.XDG_CONFIG_HOME ? path.resolve(env.XDG_CONFIG_HOME) : path.join(homedir(), '.config');
  return path.join(config, 'keyturn');
}

export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) throw new CliError('--profile may only contain letters, digits, ".", "_" and "-" (at most 64)', 2);
  return name;
}

/** The exchange options from flags, on top of what the profile remembered, on top of PlayStation's. */
export function resolveProfile(flags: ClientFlags, saved?: Profile): Profile {
  let baseUrl = saved?.baseUrl ?? PSN_BASE_URL;
  if (flags.server !== undefined) {
    let url: URL;
    try {
      url = new URL(flags.server);
    } catch {
      throw new CliError(`--server must be a URL such as http://127.0.0.1:8080, got "${flags.server}"`, 2);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError('--server must be an http(s) URL', 2);
    const prefix = url.pathname.replace(/\/+$/, '');
    baseUrl = `${url.origin}${prefix === '' ? OAUTH_PATH : prefix}`;
  }
  const clientChanged = flags.clientId !== undefined && flags.clientId !== saved?.clientId;
  const clientSecret = flags.clientSecret ?? process.env.KEYTURN_CLIENT_SECRET ?? (clientChanged ? undefined : saved?.clientSecret);
  const profile: Profile = {
    baseUrl,
    clientId: flags.clientId ?? saved?.clientId ?? PSN_CLIENT_ID,
    redirectUri: flags.redirectUri ?? saved?.redirectUri ?? PSN_REDIRECT_URI,
    scope: flags.scope ?? saved?.scope ?? PSN_SCOPE,
  };
  if (clientSecret !== undefined && clientSecret !== '') profile.clientSecret = clientSecret;
  return profile;
}

export function exchangeOptions(profile: Profile): ExchangeOptions {
  const options: ExchangeOptions = {
    baseUrl: profile.baseUrl,
    clientId: profile.clientId,
    redirectUri: profile.redirectUri,
    scope: profile.scope,
  };
  if (profile.clientSecret !== undefined) options.clientSecret = profile.clientSecret;
  return options;
}

/** Creates the home folder (0700) if needed. */
export async function ensureHome(home: string): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 });
}

/**
 * The vault under `<home>/tokens`, encrypted with `KEYTURN_VAULT_KEY` (32 bytes: 64 hex or
 * base64) or with `<home>/vault.key`, created once with mode 0600 when `create` is true.
 */
export async function openCliVault(home: string, options: { create: boolean }): Promise<Vault> {
  let secret = process.env.KEYTURN_VAULT_KEY;
  if (!secret) {
    const keyPath = path.join(home, KEY_FILE);
    secret = await readKeyFile(keyPath);
    if (secret === undefined) {
      if (!options.create) throw notSignedIn();
      await ensureHome(home);
      try {
        await writeFile(keyPath, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      secret = (await readKeyFile(keyPath)) ?? '';
    }
  }
  try {
    const store = await createFileStore({ directory: path.join(home, 'tokens') });
    return createVault({ store, keys: [{ id: 'cli', secret }] });
  } catch (err) {
    if (err instanceof VaultError && err.code === 'ERR_VAULT_CONFIG') {
      throw new CliError(`the vault key (KEYTURN_VAULT_KEY or ${KEY_FILE}) must be 32 bytes as 64 hex characters or base64`, 2);
    }
    throw err;
  }
}

async function readKeyFile(keyPath: string): Promise<string | undefined> {
  try {
    return (await readFile(keyPath, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function readProfiles(home: string): Promise<Record<string, Profile>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path.join(home, PROFILES_FILE), 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, Profile>) : {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`${path.join(home, PROFILES_FILE)} is unreadable; remove it and sign in again`);
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

export function notSignedIn(profile = 'default'): CliError {
  const flag = profile === 'default' ? '' : ` --profile ${profile}`;
  return new CliError(`not signed in${flag ? ` (profile "${profile}")` : ''}; run: keyturn login --npsso-stdin${flag}`);
}

/** A client error as a CLI error: its message (never a token) plus what to do about it. */
export function cliErrorFrom(err: unknown, profile: string): unknown {
  if (!(err instanceof KeyturnError)) return err;
  const flag = profile === 'default' ? '' : ` --profile ${profile}`;
  switch (err.code) {
    case 'ERR_RELOGIN_REQUIRED':
    case 'ERR_REFRESH_TOKEN_EXPIRED':
    case 'ERR_INVALID_NPSSO':
      return new CliError(`${err.message}\nSign in again: keyturn login --npsso-stdin${flag}`);
    case 'ERR_INVALID_CLIENT':
      return new CliError(`${err.message}\nCheck --client-id and --client-secret.`);
    default:
      return new CliError(err.message);
  }
}

/** "in 59 min 12 s", "in 59 days 23 h", "3 min ago". */
export function countdown(ms: number): string {
  const abs = Math.abs(ms);
  const s = Math.floor(abs / 1000);
  const parts: string[] = [];
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days > 0) parts.push(`${days} ${days === 1 ? 'day' : 'days'}`, `${hours} h`);
  else if (hours > 0) parts.push(`${hours} h`, `${minutes} min`);
  else if (minutes > 0) parts.push(`${minutes} min`, `${seconds} s`);
  else parts.push(`${seconds} s`);
  const text = parts.join(' ');
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}
