export {};
// Exchange (psn-api compatible), session and errors.
export * from './exchange/index.js';
export * from './session/index.js';
export * from './errors.js';
export * from './deviceErrors.js';
export { createPkcePair, codeChallengeS256 } from './lib/pkce.js';
export { decodeJwtPayload } from './lib/decodeJwtPayload.js';
export { PSN_BASE_URL, PSN_CLIENT_ID, PSN_REDIRECT_URI, PSN_SCOPE, OAUTH_PATH } from './lib/constants.js';
// Vault: tokens encrypted at rest, and the in-process store (other stores: @keyturn/client/stores/*).
export { createVault } from './vault/createVault.js';
export { VaultError, StoreError, type VaultErrorCode, type StoreErrorCode } from './vault/errors.js';
export type {
  StoredTokens,
  TokenIssuer,
  TokenStore,
  LockOptions,
  Vault,
  VaultKey,
  VaultSecretKey,
  VaultPassphraseKey,
  VaultSecret,
  CreateVaultOptions,
  RotateResult,
} from './vault/types.js';
export { createMemoryStore } from './stores/memory.js';
export { openCliVault, cliVaultPaths, type OpenCliVaultOptions, type CliVaultLocation, type CliVaultPaths } from './cliVault/index.js';
