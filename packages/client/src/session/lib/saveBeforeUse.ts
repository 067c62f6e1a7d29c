/** Persists refreshed tokens BEFORE anyone uses them: a rotated refresh token that was not saved must never be handed out. */
import { PersistError } from '../../errors.js';
import type { StoredTokens } from '../../vault/types.js';
import type { SessionVault } from '../types.js';

/**
 * Saves `next` under `name`; a failed save is `PersistError` (the caller must not use `next`).
 * Answers the tokens the vault kept instead when it already held newer ones, else `null`.
 */
export async function saveBeforeUse(vault: SessionVault, name: string, next: StoredTokens): Promise<StoredTokens | null> {
  let saved: boolean | void;
  try {
    saved = await vault.save(name, next);
  } catch (cause) {
    throw new PersistError('refreshed, but the new tokens could not be saved to the vault; not using them', {}, { cause });
  }
  return saved === false ? vault.load(name) : null;
}
