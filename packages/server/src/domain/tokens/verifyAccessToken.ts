/**
 * Verifying our own access tokens (userinfo, introspection, revocation): signature with a
 * published key, algorithms pinned to ours, `typ: at+jwt`, issuer, expiry, and the grant and
 * the token itself not revoked.
 */
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { GrantRecord } from '../../storage/types.js';
import type { Keyturn } from '../context.js';

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  client_id: string;
  scope: string;
  sid: string;
  jti: string;
  exp: number;
  iat: number;
}

export interface VerifiedAccessToken {
  claims: AccessTokenClaims;
  grant: GrantRecord;
}

/** The verified token, or `null` for anything invalid, expired or revoked (callers answer without saying which). */
export async function verifyAccessToken(kt: Keyturn, token: string): Promise<VerifiedAccessToken | null> {
  if (token.length > 8192 || token.split('.').length !== 3) return null;
  // Naming the kid lets the key ring pick up a key another process has just rotated to.
  const jwks = createLocalJWKSet({ keys: await kt.keys.publicJwks(headerKid(token)) });
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, jwks, {
      issuer: kt.config.issuer,
      typ: 'at+jwt',
      algorithms: await kt.keys.algorithms(),
      currentDate: new Date(kt.now()),
    }));
  } catch (err) {
    if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
    throw err;
  }
  const claims = payload as AccessTokenClaims;
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.jti !== 'string' || typeof claims.scope !== 'string') return null;
  const [grant, revoked] = await Promise.all([kt.repo.getGrant(claims.sid), kt.repo.isAccessTokenRevoked(claims.jti)]);
  if (!grant || grant.revokedAt !== null || revoked) return null;
  return { claims, grant };
}

function headerKid(token: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(token);
    return typeof kid === 'string' && kid.length <= 128 ? kid : undefined;
  } catch {
    return undefined;
  }
}
