/** One place to configure a Keyturn server: the options every exchange function and `AuthSession` accept. */
import { normalizeBaseUrl } from '../lib/options.js';
import type { ExchangeOptions } from './types.js';

/**
 * The client registered on the server (`keyturn client add --id … [--secret …] --redirect-uri …`).
 *
 * @example
 * ```ts
 * const client: KeyturnClient = { clientId: 'my-bot', clientSecret: process.env.KEYTURN_CLIENT_SECRET };
 * const server = keyturnServer('http://127.0.0.1:8080', client);
 * ```
 */
export interface KeyturnClient {
  clientId: string;
  /** Confidential clients only; without it the client is public (PKCE, `client_id` in the form). */
  clientSecret?: string | undefined;
  /** Default: none is sent, and the server uses the client's only registered redirect URI. */
  redirectUri?: string | undefined;
  /** Default: none asked for, and the server grants the scopes the client is registered with. */
  scope?: string | undefined;
}

/**
 * What `keyturnServer` answers: exchange options naming the server and the client.
 *
 * @example
 * ```ts
 * const server: KeyturnServerOptions = keyturnServer('http://127.0.0.1:8080', { clientId: 'my-bot' });
 * const tokens = await exchangeRefreshTokenForAuthTokens(refreshToken, server);
 * ```
 */
export type KeyturnServerOptions = Readonly<ExchangeOptions & { baseUrl: string; clientId: string }>;

/**
 * The options for a Keyturn server at `url` (its origin, e.g. `http://127.0.0.1:8080`, or the
 * OAuth prefix), for one registered client. Pass them to every exchange function,
 * `AuthSession.fromNpsso` and `AuthSession.fromVault`; add `fetch`, `timeoutMs`, a vault… by
 * spreading: `{ ...server, vault, name: 'bot' }`.
 *
 * @example
 * ```ts
 * const server = keyturnServer(process.env.KEYTURN_URL!, { clientId: 'my-bot', clientSecret: process.env.KEYTURN_CLIENT_SECRET });
 * const session = await AuthSession.fromNpsso(process.env.NPSSO!, { ...server, vault, name: 'bot' });
 * ```
 */
export function keyturnServer(url: string | URL, client: KeyturnClient): KeyturnServerOptions {
  if (typeof client?.clientId !== 'string' || client.clientId === '') {
    throw new TypeError('keyturnServer needs the clientId the client was registered with (`keyturn client add --id …`)');
  }
  const options: ExchangeOptions & { baseUrl: string; clientId: string } = {
    baseUrl: normalizeBaseUrl(url),
    clientId: client.clientId,
    redirectUri: client.redirectUri ?? null,
    scope: client.scope ?? '',
  };
  if (client.clientSecret !== undefined) options.clientSecret = client.clientSecret;
  return Object.freeze(options);
}
