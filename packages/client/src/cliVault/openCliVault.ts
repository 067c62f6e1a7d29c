/** `openCliVault`: the encrypted vault `keyturn login` writes, opened from a bot or the CLI itself. */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createFileStore } from '../stores/file.js';
import { createVault } from '../vault/createVault.js';
import { VaultError } from '../vault/errors.js';
import type { Vault } from '../vault/types.js';
import { cliVaultPaths, type CliVaultLocation, type CliVaultPaths } from './cliVaultPaths.js';

/** The id of the one vault key; written into every entry, not secret. */
const KEY_ID = 'cli';

/**
 * Options of {@link openCliVault}.
 *
 * @example
 * ```ts
 * const options: OpenCliVaultOptions = { home: '/srv/bot/.keyturn', create: false };
 * ```
 */
export interface OpenCliVaultOptions extends CliVaultLocation {
  /**
   * Create the folder (0700) and a random key file (0600) when neither `KEYTURN_VAULT_KEY` nor
   * the key file exists. Default false: a bot reads what `keyturn login` saved and never makes a key.
   */
  create?: boolean;
}

/**
 * Opens the vault `keyturn login` saves tokens in, so a program can use them: the file store in
 * `<home>/tokens` (see {@link cliVaultPaths} for `home`), encrypted with key id `cli` whose 32 bytes
 * come from `KEYTURN_VAULT_KEY` (64 hex characters or base64) or else from `<home>/vault.key`.
 * Each entry is named after the login's `--profile` (`default` without it).
 *
 * Throws `VaultError` `ERR_VAULT_CONFIG` when there is no key (nobody has signed in here and
 * `create` is false) or the key is not 32 bytes.
 *
 * @example
 * ```ts
 * import { AuthSession, openCliVault } from '@keyturn/client';
 *
 * // after: printf '%s' "$NPSSO" | keyturn login --npsso-stdin --server http://127.0.0.1:8080 …
 * const vault = await openCliVault();
 * const session = await AuthSession.fromVault(vault, 'default', {
 *   baseUrl: 'http://127.0.0.1:8080', clientId: 'my-bot', clientSecret: process.env.KEYTURN_CLIENT_SECRET,
 * });
 * const headers = { authorization: await session.authorization() };
 * ```
 */
export async function openCliVault(options: OpenCliVaultOptions = {}): Promise<Vault> {
  const env = options.env ?? process.env;
  const paths = cliVaultPaths(options);
  // An empty KEYTURN_VAULT_KEY counts as unset, so `KEYTURN_VAULT_KEY= cmd` falls back to the file.
  let secret = env.KEYTURN_VAULT_KEY || (await readKeyFile(paths.keyFile));
  if (secret === undefined && options.create) secret = await createKeyFile(paths);
  if (secret === undefined) {
    throw new VaultError(
      'ERR_VAULT_CONFIG',
      `no vault key: KEYTURN_VAULT_KEY is unset and ${paths.keyFile} does not exist (nobody has run \`keyturn login\` with this folder)`,
    );
  }
  const store = await createFileStore({ directory: paths.tokensDirectory });
  return createVault({ store, keys: [{ id: KEY_ID, secret }] });
}

async function readKeyFile(keyFile: string): Promise<string | undefined> {
  try {
    return (await readFile(keyFile, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes a new key unless another process just did; either way returns the key on disk. */
async function createKeyFile(paths: CliVaultPaths): Promise<string> {
  await mkdir(paths.home, { recursive: true, mode: 0o700 });
  try {
    await writeFile(paths.keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return (await readKeyFile(paths.keyFile)) ?? '';
}
