/** Checks that decrypted JSON really is `StoredTokens`, so a bad blob fails here and not deep inside a session. */
import { VaultError } from '../errors.js';
import type { StoredTokens } from '../types.js';

const REQUIRED = ['accessToken', 'accessTokenExpiresAt', 'refreshToken', 'refreshTokenExpiresAt', 'scope', 'tokenType', 'obtainedAt'] as const;
/** Entries saved before tokens remembered their issuer lack the last two; they still load. */
const OPTIONAL = ['idToken', 'tokenEndpoint', 'clientId'] as const;

/**
 * Parses and validates the JSON of one entry; failures are `ERR_VAULT_CORRUPT` without any value in the message.
 *
 * @example
 * ```ts
 * const tokens = parseTokens(open(key, envelope, 'alice'), 'alice');
 * ```
 */
export function parseTokens(json: string, name: string): StoredTokens {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new VaultError('ERR_VAULT_CORRUPT', `Vault entry "${name}" does not hold JSON`);
  }
  if (typeof value !== 'object' || value === null) {
    throw new VaultError('ERR_VAULT_CORRUPT', `Vault entry "${name}" does not hold a token object`);
  }
  const record = value as Record<string, unknown>;
  for (const field of REQUIRED) {
    if (typeof record[field] !== 'string') {
      throw new VaultError('ERR_VAULT_CORRUPT', `Vault entry "${name}" lacks the string field "${field}"`);
    }
  }
  for (const field of OPTIONAL) {
    if (record[field] !== undefined && typeof record[field] !== 'string') {
      throw new VaultError('ERR_VAULT_CORRUPT', `Vault entry "${name}" has a non-string "${field}"`);
    }
  }
  return record as unknown as StoredTokens;
}
