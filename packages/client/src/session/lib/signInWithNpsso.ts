/** The sign-in behind `AuthSession.fromNpsso`: NPSSO → code → tokens, saved when a vault is given. */
import { PersistError } from '../../errors.js';
import { exchangeAccessCodeForAuthTokens } from '../../exchange/exchangeAccessCodeForAuthTokens.js';
import { exchangeNpssoForAccessCode } from '../../exchange/exchangeNpssoForAccessCode.js';
import type { StoredTokens } from '../../vault/types.js';
import { toStoredTokens } from '../toStoredTokens.js';
import type { FromNpssoOptions } from '../types.js';
import { resolveSessionOptions } from './resolveSessionOptions.js';

/** Signs in and answers the stored tokens. */
export async function signInWithNpsso(npsso: string, options: FromNpssoOptions): Promise<StoredTokens> {
  const { vault, name, now, lockOptions } = resolveSessionOptions(options);
  const signIn = options;
  const code = await exchangeNpssoForAccessCode(npsso, signIn);
  const startedAt = now();
  const stored = toStoredTokens(await exchangeAccessCodeForAuthTokens(code, signIn), startedAt);
  if (vault) {
    try {
      await vault.withLock(name, async () => void (await vault.save(name, stored)), lockOptions);
    } catch (cause) {
      throw new PersistError('signed in, but the tokens could not be saved to the vault', {}, { cause });
    }
  }
  return stored;
}
