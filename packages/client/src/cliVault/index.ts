/** The token vault of the `keyturn` command, shared with programs that use its sign-in. */
export { openCliVault, type OpenCliVaultOptions } from './openCliVault.js';
export { cliVaultPaths, type CliVaultLocation, type CliVaultPaths } from './cliVaultPaths.js';
