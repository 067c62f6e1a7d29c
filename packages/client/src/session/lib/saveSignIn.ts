/** Saves the tokens of a new sign-in under the vault's lock; a failed save fails the sign-in. */
import { PersistError } from '../../errors.js';
import type { LockOptions, StoredTokens } from '../../vault/types.js';
import type { SessionVault } from '../types.js';

/** Saves `stored` under `name`; any failure is `PersistError` (the sign-in must not look done). */
export async function saveSignIn(vault: SessionVault, name: string, stored: StoredTokens, lockOptions: LockOptions | undefined): Promise<void> {
  try {
    await vault.withLock(name, async () => void (await vault.save(name, stored)), lockOptions);
  } catch (cause) {
    throw new PersistError('signed in, but the tokens could not be saved to the vault', {}, { cause });
  }
}
