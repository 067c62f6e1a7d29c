/** Turns `ExchangeOptions` into the concrete endpoint URLs and client authentication to use. */
import type { ExchangeOptions } from '../exchange/types.js';
import type { TokenIssuer } from '../vault/types.js';
import { OAUTH_PATH, PSN_BASE_URL, PSN_CLIENT_ID, PSN_CLIENT_SECRET, PSN_REDIRECT_URI, PSN_SCOPE } from './constants.js';

export interface ResolvedClient {
  /** The OAuth prefix without a trailing slash. */
  baseUrl: string;
  /** `{baseUrl}/token`: where codes and refresh tokens go. */
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string | undefined;
  /** `undefined`: none is sent, the server uses the client's only registered one. */
  redirectUri: string | undefined;
  scope: string;
}

/** Applies PlayStation's defaults and normalizes `baseUrl` (an origin gets the OAuth path). */
export function resolveClient(options: ExchangeOptions = {}): ResolvedClient {
  const clientId = options.clientId ?? PSN_CLIENT_ID;
  const clientSecret =
    options.clientSecret ?? (clientId === PSN_CLIENT_ID ? PSN_CLIENT_SECRET : undefined);
  const baseUrl = normalizeBaseUrl(options.baseUrl ?? PSN_BASE_URL);
  return {
    baseUrl,
    tokenEndpoint: `${baseUrl}/token`,
    clientId,
    clientSecret: clientSecret === '' ? undefined : clientSecret,
    redirectUri: options.redirectUri === null ? undefined : (options.redirectUri ?? PSN_REDIRECT_URI),
    scope: options.scope ?? PSN_SCOPE,
  };
}

/** The token endpoint and client that tokens obtained with these options are bound to. */
export function issuerOf(options: ExchangeOptions = {}): TokenIssuer {
  const { tokenEndpoint, clientId } = resolveClient(options);
  return { tokenEndpoint, clientId };
}

/** True for PlayStation's own endpoint, where requests must be byte for byte what psn-api sends. */
export function isPlayStation(baseUrl: string): boolean {
  return baseUrl === PSN_BASE_URL;
}

export function normalizeBaseUrl(input: string | URL): string {
  const url = new URL(String(input));
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`baseUrl must be an http(s) URL, got ${url.protocol}`);
  }
  url.search = '';
  url.hash = '';
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path === '' ? OAUTH_PATH : path;
  return url.href.replace(/\/+$/, '');
}

/** RFC 6749 §2.3.1: id and secret are form-encoded, then joined and base64-encoded. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}
