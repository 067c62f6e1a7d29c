/** The sign-in behind `AuthSession.fromNpsso`: NPSSO → code → tokens bound to their server, saved when a vault is given. */
import { exchangeAccessCodeForAuthTokens } from '../../exchange/exchangeAccessCodeForAuthTokens.js';
import { exchangeNpssoForAccessCode } from '../../exchange/exchangeNpssoForAccessCode.js';
import { resolveClient } from '../../lib/options.js';
import { createPkcePair } from '../../lib/pkce.js';
import type { StoredTokens } from '../../vault/types.js';
import { toStoredTokens } from '../toStoredTokens.js';
import type { FromNpssoOptions } from '../types.js';
import { resolveSessionOptions } from './resolveSessionOptions.js';
import { saveSignIn } from './saveSignIn.js';

/**
 * Signs in and answers the stored tokens. A public client (no secret) gets a fresh PKCE pair
 * unless one is given, since servers require PKCE of public clients.
 */
export async function signInWithNpsso(npsso: string, options: FromNpssoOptions): Promise<StoredTokens> {
  const { vault, name, now, lockOptions } = resolveSessionOptions(options);
  const isPublic = resolveClient(options).clientSecret === undefined;
  const needsPkce = isPublic && options.codeVerifier === undefined && options.codeChallenge === undefined;
  const signIn = needsPkce ? { ...options, codeVerifier: createPkcePair().codeVerifier } : options;
  const code = await exchangeNpssoForAccessCode(npsso, signIn);
  const startedAt = now();
  const stored = toStoredTokens(await exchangeAccessCodeForAuthTokens(code, signIn), startedAt, signIn);
  if (vault) await saveSignIn(vault, name, stored, lockOptions);
  return stored;
}
