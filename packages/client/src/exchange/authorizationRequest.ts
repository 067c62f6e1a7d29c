/** Sends the NPSSO cookie to `/authorize`; answers the raw `Response` (see `processAuthorizationResponse`). */
import { InvalidNpssoError } from '../errors.js';
import { codeChallengeS256 } from '../lib/pkce.js';
import { isPlayStation, resolveClient } from '../lib/options.js';
import { withPsnApiSentence } from '../lib/psnApiSentence.js';
import { send } from '../lib/send.js';
import type { AuthorizationOptions } from './types.js';

/** RFC 6265 cookie-octets: anything else could split the Cookie header. */
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/;

/**
 * `GET {baseUrl}/authorize?…` with `Cookie: npsso=…`, not following the redirect.
 *
 * @example
 * ```ts
 * const res = await authorizationRequest(npsso, { baseUrl: 'http://127.0.0.1:8080' });
 * const code = await processAuthorizationResponse(res);
 * ```
 */
export async function authorizationRequest(npsso: string, options: AuthorizationOptions = {}): Promise<Response> {
  if (typeof npsso !== 'string' || !COOKIE_VALUE.test(npsso)) {
    const err = new InvalidNpssoError('the NPSSO token is empty or contains characters a cookie cannot carry');
    throw withPsnApiSentence(err, options.baseUrl);
  }
  const client = resolveClient(options);
  const params = new URLSearchParams({ access_type: 'offline', client_id: client.clientId });
  if (client.redirectUri !== undefined) params.set('redirect_uri', client.redirectUri);
  params.set('response_type', 'code');
  params.set('scope', client.scope);
  if (options.state !== undefined) params.set('state', options.state);
  if (options.nonce !== undefined) params.set('nonce', options.nonce);
  const challenge = options.codeChallenge ?? (options.codeVerifier ? codeChallengeS256(options.codeVerifier) : undefined);
  if (challenge !== undefined) {
    params.set('code_challenge', challenge);
    params.set('code_challenge_method', 'S256');
  }
  const headers: Record<string, string> = { Cookie: `npsso=${npsso}` };
  // Asks for a JSON error instead of a page (unknown client, unregistered redirect URI);
  // PlayStation gets exactly psn-api's headers.
  if (!isPlayStation(client.baseUrl)) headers.Accept = 'application/json';
  return send(`${client.baseUrl}/authorize?${params.toString()}`, { method: 'GET', headers, redirect: 'manual' }, options);
}
