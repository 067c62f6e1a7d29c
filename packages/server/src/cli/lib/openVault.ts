/** The CLI's token vault (the shared layout of `openCliVault`), with its failures said as next steps. */
import { existsSync } from 'node:fs';
import { VaultError, cliVaultPaths, openCliVault, type Vault } from '@keyturn/client';
import { CliError } from './errors.js';
import { notSignedIn } from './signInHints.js';

/** Opens the vault in `home`; `create` makes its key file (login). */
export async function openVault(home: string, name: string, options: { create: boolean }): Promise<Vault> {
  try {
    return await openCliVault({ home, create: options.create });
  } catch (err) {
    if (!(err instanceof VaultError) || err.code !== 'ERR_VAULT_CONFIG') throw err;
    const { keyFile } = cliVaultPaths({ home });
    if (process.env.KEYTURN_VAULT_KEY) {
      throw new CliError(
        `KEYTURN_VAULT_KEY is not a 32-byte key: set it to 64 hex characters or base64 (e.g. \`openssl rand -hex 32\`), or unset it to use ${keyFile}`,
        2,
      );
    }
    if (!existsSync(keyFile)) throw notSignedIn(name, home);
    throw new CliError(`${keyFile} does not hold a 32-byte key: delete it and sign in again with keyturn login --npsso-stdin`, 2);
  }
}
