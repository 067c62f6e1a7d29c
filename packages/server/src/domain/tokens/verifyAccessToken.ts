/**
 * Verifying our own access tokens (userinfo, introspection, revocation): signature with a
 * published key, algorithms pinned to ours, `typ: at+jwt`, issuer, expiry, and the grant and
 * the token itself not revoked.
 */
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { GrantRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import type { PublicJwk } from '../keys.js';

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
  const jwks = localKeySet(await kt.keys.publicJwks(headerKid(token)));
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, jwks, {
      issuer: kt.config.issuer,
      typ: 'at+jwt',
      // jose checks exp only when present; RFC 9068 2.2 makes it (and these) required.
      requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
      algorithms: await kt.keys.algorithms(),
      currentDate: new Date(kt.now()),
    }));
  } catch (err) {
    // The signature held (jose checks claims after it): one of our keys signed for another issuer.
    if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'iss') await reportForeignIssuer(kt, err.payload);
    if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
    throw err;
  }
  const claims = payload as AccessTokenClaims;
  if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.jti !== 'string' || typeof claims.scope !== 'string') return null;
  // The person's status too: disabling revokes their grants, but a grant issued while that ran would escape it.
  const [grant, revoked, user] = await Promise.all([kt.repo.getGrant(claims.sid), kt.repo.isAccessTokenRevoked(claims.jti), kt.repo.findUserById(claims.sub)]);
  if (!grant || grant.revokedAt !== null || revoked || user === null || user.status !== 'active') return null;
  return { claims, grant };
}

/**
 * Two servers on one database sign with the same keys; with different `--issuer`s each refuses
 * the other's tokens. Says so (an event the edge logs), naming both issuers.
 */
async function reportForeignIssuer(kt: Keyturn, payload: JWTPayload): Promise<void> {
  const issuer = typeof payload.iss === 'string' ? payload.iss.slice(0, 200) : String(payload.iss);
  const clientId = typeof payload.client_id === 'string' ? payload.client_id.slice(0, 200) : undefined;
  await kt.events.emit({ type: 'token.foreign_issuer', clientId, data: { issuer, expected: kt.config.issuer } });
}

/**
 * One imported key set per published key list. The key ring hands out the same array until it
 * re-reads the store, so each public key is imported once per reload instead of on every
 * request (a fresh set re-imported the RSA key each time: ~3x the cost of the verification).
 */
const keySets = new WeakMap<readonly PublicJwk[], ReturnType<typeof createLocalJWKSet>>();

function localKeySet(publics: readonly PublicJwk[]): ReturnType<typeof createLocalJWKSet> {
  let set = keySets.get(publics);
  if (set === undefined) {
    set = createLocalJWKSet({ keys: [...publics] });
    keySets.set(publics, set);
  }
  return set;
}

function headerKid(token: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(token);
    return typeof kid === 'string' && kid.length <= 128 ? kid : undefined;
  } catch {
    return undefined;
  }
}
