/** The lines every `keyturn login` ends with: who, where, and until when the sign-in lasts. */
import { decodeJwtPayload, type StoredTokens } from '@keyturn/client';
import { countdown } from './format.js';
import type { Profile } from './profiles.js';

/** "Signed in as …", the access token's and the refresh token's expiry, on stdout. Never a token. */
export function printSignedIn(name: string, profile: Profile, t: StoredTokens, now = Date.now()): void {
  const who = signedInAs(t);
  process.stdout.write(
    [
      `Signed in${who === undefined ? '' : ` as ${who}`} (profile "${name}", ${new URL(profile.baseUrl).origin}).`,
      `Access token expires ${countdown(Date.parse(t.accessTokenExpiresAt) - now)}; it is refreshed automatically.`,
      `Refresh token expires ${countdown(Date.parse(t.refreshTokenExpiresAt) - now)}: sign in again before ${t.refreshTokenExpiresAt}.`,
      '',
    ].join('\n'),
  );
}

/** The email when the `email` scope was granted and the ID token carries it, else the subject. */
export function signedInAs(t: Pick<StoredTokens, 'idToken' | 'accessToken' | 'scope'>): string | undefined {
  const id = decodeJwtPayload(t.idToken) ?? {};
  if (t.scope.split(' ').includes('email') && typeof id.email === 'string') return id.email;
  const sub = id.sub ?? decodeJwtPayload(t.accessToken)?.sub;
  return typeof sub === 'string' ? sub : undefined;
}
