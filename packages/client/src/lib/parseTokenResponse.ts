/** Validates a token endpoint answer and maps it to psn-api's `AuthTokensResponse`. */
import type { AuthTokensResponse } from '../exchange/types.js';
import { InvalidResponseError } from '../errors.js';
import { errorFromResponse, type ExchangeKind } from './errorFromResponse.js';

/**
 * Resolves to the tokens of a 200 answer, or throws the typed error the answer means.
 * A 200 that lacks a field psn-api promises is `InvalidResponseError`, never `undefined`s.
 */
export async function parseTokenResponse(
  res: Response,
  kind: Exclude<ExchangeKind, 'authorize'>,
  requestedScope?: string,
): Promise<AuthTokensResponse> {
  if (res.status !== 200) {
    if (res.status >= 400) throw await errorFromResponse(res, kind);
    throw new InvalidResponseError(`unexpected answer from the token endpoint (HTTP ${res.status})`, {
      status: res.status,
    });
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch (err) {
    throw new InvalidResponseError('the token endpoint answered 200 with a body that is not JSON', { status: 200 }, { cause: err });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidResponseError('the token endpoint answered 200 with a body that is not a JSON object', { status: 200 });
  }
  const b = body as Record<string, unknown>;
  const scope = b.scope === undefined && requestedScope !== undefined ? requestedScope : b.scope;
  return {
    accessToken: requireString(b, 'access_token'),
    expiresIn: requireSeconds(b, 'expires_in'),
    idToken: requireString(b, 'id_token'),
    refreshToken: requireString(b, 'refresh_token'),
    refreshTokenExpiresIn: requireSeconds(b, 'refresh_token_expires_in'),
    scope: requireString({ scope }, 'scope', true),
    tokenType: requireString(b, 'token_type'),
  };
}

function requireString(b: Record<string, unknown>, key: string, allowEmpty = false): string {
  const v = b[key];
  if (typeof v !== 'string' || (!allowEmpty && v.length === 0)) {
    throw new InvalidResponseError(`the token endpoint answered 200 without a valid "${key}"`, { status: 200 });
  }
  return v;
}

function requireSeconds(b: Record<string, unknown>, key: string): number {
  const raw = b[key];
  const v = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new InvalidResponseError(`the token endpoint answered 200 without a valid "${key}"`, { status: 200 });
  }
  return v;
}
