/** Validates a token endpoint answer and maps it to psn-api's `AuthTokensResponse`. */
import type { AuthTokensResponse } from '../exchange/types.js';
import { InvalidResponseError } from '../errors.js';
import { errorFromResponse, type ExchangeKind } from './errorFromResponse.js';
import { readJsonObject, requireSeconds, requireString } from './jsonBody.js';

const WHERE = 'the token endpoint';

/**
 * Resolves to the tokens of a 200 answer, or throws the typed error the answer means.
 * A 200 that lacks a field psn-api promises is `InvalidResponseError`, never `undefined`s.
 */
export async function parseTokenResponse(
  res: Response,
  kind: Exclude<ExchangeKind, 'authorize' | 'device_authorization'>,
  requestedScope?: string,
): Promise<AuthTokensResponse> {
  if (res.status !== 200) {
    if (res.status >= 400) throw await errorFromResponse(res, kind);
    throw new InvalidResponseError(`unexpected answer from the token endpoint (HTTP ${res.status})`, {
      status: res.status,
    });
  }
  const b = await readJsonObject(res, WHERE);
  const scope = b.scope === undefined && requestedScope !== undefined ? requestedScope : b.scope;
  return {
    accessToken: requireString(b, 'access_token', WHERE),
    expiresIn: requireSeconds(b, 'expires_in', WHERE),
    idToken: requireString(b, 'id_token', WHERE),
    refreshToken: requireString(b, 'refresh_token', WHERE),
    refreshTokenExpiresIn: requireSeconds(b, 'refresh_token_expires_in', WHERE),
    scope: requireString({ scope }, 'scope', WHERE, true),
    tokenType: requireString(b, 'token_type', WHERE),
  };
}
