/** The token endpoint's success body, in the shape PlayStation and RFC 6749 5.1 both use. */
import type { Minted } from './mint.js';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
  refresh_token_expires_in?: number;
}

export function tokenResponse(minted: Minted, scope: string, refresh: { token: string; expiresAt: number } | null, now: number): TokenResponse {
  const body: TokenResponse = {
    access_token: minted.accessToken,
    token_type: 'Bearer',
    expires_in: minted.expiresIn,
    scope,
  };
  if (minted.idToken) body.id_token = minted.idToken;
  if (refresh) {
    body.refresh_token = refresh.token;
    body.refresh_token_expires_in = Math.max(0, Math.floor((refresh.expiresAt - now) / 1000));
  }
  return body;
}
