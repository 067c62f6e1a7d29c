/** PKCE (RFC 7636) S256 helpers for public clients. */
import { createHash, randomBytes } from 'node:crypto';

/**
 * The S256 challenge of a verifier: base64url(SHA-256(verifier)).
 *
 * @example
 * ```ts
 * codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'); // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 * ```
 */
export function codeChallengeS256(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

/**
 * A fresh PKCE pair: send `codeChallenge` to `/authorize`, `codeVerifier` to `/token`.
 *
 * @example
 * ```ts
 * const { codeVerifier, codeChallenge } = createPkcePair();
 * const code = await exchangeNpssoForAccessCode(npsso, { clientId: 'cli', codeChallenge });
 * const tokens = await exchangeAccessCodeForAuthTokens(code, { clientId: 'cli', codeVerifier });
 * ```
 */
export function createPkcePair(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: codeChallengeS256(codeVerifier) };
}
