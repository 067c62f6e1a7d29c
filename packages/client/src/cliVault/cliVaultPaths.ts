/** Where `keyturn login` keeps its state: one folder resolution shared by the CLI and bots. */
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Which folder {@link cliVaultPaths} and `openCliVault` look in.
 *
 * @example
 * ```ts
 * const where: CliVaultLocation = { home: '/srv/bot/.keyturn' }; // or { env: { KEYTURN_HOME: '…' } }
 * ```
 */
export interface CliVaultLocation {
  /** The folder itself; wins over the environment. */
  home?: string;
  /** Environment to read `KEYTURN_HOME`, `XDG_CONFIG_HOME` and `KEYTURN_VAULT_KEY` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * The files of the CLI's vault.
 *
 * @example
 * ```ts
 * const { home, keyFile, tokensDirectory }: CliVaultPaths = cliVaultPaths();
 * ```
 */
export interface CliVaultPaths {
  /** `$KEYTURN_HOME`, else `$XDG_CONFIG_HOME/keyturn`, else `~/.config/keyturn`. */
  home: string;
  /** `<home>/vault.key`: 32 random bytes as 64 hex characters, mode 0600 (unused when `KEYTURN_VAULT_KEY` is set). */
  keyFile: string;
  /** `<home>/tokens`: the file store, one encrypted entry per profile name. */
  tokensDirectory: string;
}

/**
 * Resolves the folder `keyturn login` saves tokens in: `home` if given, else `$KEYTURN_HOME`,
 * else `$XDG_CONFIG_HOME/keyturn`, else `~/.config/keyturn`. Touches no file.
 *
 * @example
 * ```ts
 * import { cliVaultPaths } from '@keyturn/client';
 *
 * console.log(`keyturn login keeps its tokens in ${cliVaultPaths().tokensDirectory}`);
 * ```
 */
export function cliVaultPaths(location: CliVaultLocation = {}): CliVaultPaths {
  const env = location.env ?? process.env;
  let home: string;
  if (location.home) home = path.resolve(location.home);
  else if (env.KEYTURN_HOME) home = path.resolve(env.KEYTURN_HOME);
  else home = path.join(env.XDG_CONFIG_HOME ? path.resolve(env.XDG_CONFIG_HOME) : path.join(homedir(), '.config'), 'keyturn');
  return { home, keyFile: path.join(home, 'vault.key'), tokensDirectory: path.join(home, 'tokens') };
}
