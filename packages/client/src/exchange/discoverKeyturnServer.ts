/** `keyturnServer` from the issuer's `/.well-known/openid-configuration` instead of a known URL layout. */
import { InvalidResponseError, ServerError } from '../errors.js';
import { send } from '../lib/send.js';
import { keyturnServer, type KeyturnClient, type KeyturnServerOptions } from './keyturnServer.js';
import type { RequestOptions } from './types.js';

/**
 * Reads the issuer's OpenID Connect discovery document and answers `keyturnServer(…)` for the
 * endpoints it names. The document must name the same `issuer` (OpenID Connect Discovery 4.3),
 * and its authorization and token endpoints must share one prefix (`…/authorize`, `…/token`),
 * as Keyturn's and PlayStation's do; anything else is `InvalidResponseError`.
 *
 * @example
 * ```ts
 * const server = await discoverKeyturnServer('https://auth.example.com', { clientId: 'my-bot', clientSecret });
 * const session = await AuthSession.fromNpsso(npsso, { ...server, vault, name: 'bot' });
 * ```
 */
export async function discoverKeyturnServer(
  issuer: string | URL,
  client: KeyturnClient,
  options: RequestOptions = {},
): Promise<KeyturnServerOptions> {
  const expected = String(issuer).replace(/\/+$/, '');
  const where = `${expected}/.well-known/openid-configuration`;
  const res = await send(where, { method: 'GET', headers: { Accept: 'application/json' } }, options);
  if (res.status !== 200) {
    await res.body?.cancel();
    if (res.status >= 500) throw new ServerError(`the server failed (HTTP ${res.status}) at ${where}`, { status: res.status });
    throw new InvalidResponseError(`no OpenID configuration at ${where} (HTTP ${res.status})`, { status: res.status });
  }
  const metadata = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  const tokenEndpoint = metadata?.['token_endpoint'];
  const authorizationEndpoint = metadata?.['authorization_endpoint'];
  if (typeof metadata?.['issuer'] !== 'string' || metadata['issuer'].replace(/\/+$/, '') !== expected) {
    throw new InvalidResponseError(`the OpenID configuration at ${where} names another issuer`, { status: 200 });
  }
  if (typeof tokenEndpoint !== 'string' || !tokenEndpoint.endsWith('/token')) {
    throw new InvalidResponseError(`the OpenID configuration at ${where} has no token_endpoint ending in /token`, { status: 200 });
  }
  const prefix = tokenEndpoint.slice(0, -'/token'.length);
  if (authorizationEndpoint !== `${prefix}/authorize`) {
    throw new InvalidResponseError(
      `the OpenID configuration at ${where} puts /authorize and /token under different prefixes; use keyturnServer(url, …) with the OAuth prefix`,
      { status: 200 },
    );
  }
  return keyturnServer(prefix, client);
}
