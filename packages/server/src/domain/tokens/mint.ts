/** Minting the JWTs: RFC 9068 access tokens and OpenID Connect ID tokens, signed with the active key. */
import { createHash, randomUUID } from 'node:crypto';
import type { GrantRecord, UserRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import type { ActiveKey } from '../keys.js';
import { signJws } from '../lib/signJws.js';

export interface MintInput {
  grant: GrantRecord;
  user: UserRecord;
  clientId: string;
  /** Scope of this access token (may be narrower than the grant's). */
  scope: string;
  withIdToken: boolean;
  nonce?: string | null;
}

export interface Minted {
  accessToken: string;
  idToken: string | null;
  expiresIn: number;
}

/** `at_hash`: left half of the hash of the access token, with the hash the JWS alg uses (OIDC Core 3.1.3.6). */
export function atHash(accessToken: string, alg: ActiveKey['alg']): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export async function mintTokens(kt: Keyturn, input: MintInput): Promise<Minted> {
  const key = await kt.keys.activeKey();
  const now = Math.floor(kt.now() / 1000);
  const ttl = kt.config.accessTokenTtlSec;
  const scopes = input.scope.split(' ');
  const authTime = Math.floor(input.grant.authTime / 1000);
  // Both tokens: same issuer, subject, audience (the client), lifetime and key.
  const sign = (claims: Record<string, unknown>, typ: string) =>
    signJws(
      { alg: key.alg, kid: key.kid, typ },
      { ...claims, iss: kt.config.issuer, sub: input.user.id, aud: input.clientId, iat: now, exp: now + ttl },
      key.privateKey,
    );

  const accessToken = await sign({ client_id: input.clientId, scope: input.scope, sid: input.grant.id, auth_time: authTime, jti: randomUUID() }, 'at+jwt');

  let idToken: string | null = null;
  if (input.withIdToken) {
    const claims: Record<string, unknown> = { auth_time: authTime, at_hash: atHash(accessToken, key.alg), azp: input.clientId, sid: input.grant.id };
    if (input.nonce) claims.nonce = input.nonce;
    if (scopes.includes('email')) {
      claims.email = input.user.email;
      claims.email_verified = false;
    }
    if (scopes.includes('profile') && input.user.name) claims.name = input.user.name;
    idToken = await sign(claims, 'JWT');
  }
  return { accessToken, idToken, expiresIn: ttl };
}
