/**
 * Token introspection (RFC 7662) for the client the token was issued to. Anything unknown,
 * expired, revoked, spent, or issued to another client is `{ active: false }`, without saying
 * which (RFC 7662 2.2 and 4).
 */
import type { ClientRecord } from '../storage/records.js';
import type { Keyturn } from './context.js';
import { lookupRefreshToken } from './tokens/lookupRefreshToken.js';
import { verifyAccessToken } from './tokens/verifyAccessToken.js';

export interface ActiveIntrospection {
  active: true;
  scope: string;
  client_id: string;
  sub: string;
  exp: number;
  iat: number;
  iss: string;
  /** `Bearer` for access tokens; absent for refresh tokens (RFC 6749 5.1 names no type for them). */
  token_type?: 'Bearer';
  aud?: string | string[];
  jti?: string;
  auth_time?: number;
}

export type Introspection = ActiveIntrospection | { active: false };

const INACTIVE: Introspection = Object.freeze({ active: false });

/**
 * What `token` is, if it is live and belongs to `client`.
 *
 * @example
 * ```ts
 * const client = await authenticateClient(kt, creds);
 * const answer = await introspectToken(kt, client, accessToken);
 * if (answer.active) console.log(answer.sub, answer.scope);
 * ```
 */
export async function introspectToken(kt: Keyturn, client: ClientRecord, token: string): Promise<Introspection> {
  if (token.split('.').length === 3) {
    const verified = await verifyAccessToken(kt, token);
    if (!verified || verified.claims.client_id !== client.id || verified.grant.clientId !== client.id) return INACTIVE;
    const { claims } = verified;
    const answer: ActiveIntrospection = {
      active: true,
      scope: claims.scope,
      client_id: claims.client_id,
      sub: claims.sub,
      exp: claims.exp,
      iat: claims.iat,
      iss: kt.config.issuer,
      token_type: 'Bearer',
      jti: claims.jti,
    };
    if (claims.aud !== undefined) answer.aud = claims.aud;
    if (typeof claims.auth_time === 'number') answer.auth_time = claims.auth_time;
    return answer;
  }

  // A token spent by rotation is not active, though its grant lives on in its successor.
  const found = await lookupRefreshToken(kt, client, token);
  if (!found.live || found.token.spentAt !== null) return INACTIVE;
  return {
    active: true,
    scope: found.grant.scope,
    client_id: found.grant.clientId,
    sub: found.grant.userId,
    exp: Math.floor(found.expiresAt / 1000),
    iat: Math.floor(found.token.createdAt / 1000),
    iss: kt.config.issuer,
    auth_time: Math.floor(found.grant.authTime / 1000),
  };
}
