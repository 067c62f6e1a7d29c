/** Shapes shared by the exchange functions: psn-api's result types and the options base. */

/**
 * psn-api's `AuthTokensResponse`: what the code and refresh exchanges resolve to.
 *
 * @example
 * ```ts
 * const tokens: AuthTokensResponse = await exchangeAccessCodeForAuthTokens(code);
 * const expiresAt = new Date(Date.now() + tokens.expiresIn * 1000).toISOString();
 * ```
 */
export interface AuthTokensResponse {
  /** Sent as `Authorization: Bearer …` to call APIs. */
  accessToken: string;
  /** Seconds until the access token expires, counted from the answer. */
  expiresIn: number;
  idToken: string;
  /** Exchanged for new tokens when the access token expires. */
  refreshToken: string;
  /** Seconds until the refresh token expires, counted from the answer. */
  refreshTokenExpiresIn: number;
  scope: string;
  tokenType: string;
}

/**
 * psn-api's `AuthorizationPayload`: what every psn-api call takes as its first argument.
 *
 * @example
 * ```ts
 * const authorization: AuthorizationPayload = await session.authorization();
 * const titles = await getUserTitles(authorization, 'me'); // psn-api
 * ```
 */
export interface AuthorizationPayload {
  accessToken: string;
}

/**
 * The transport options every exchange accepts.
 *
 * @example
 * ```ts
 * const options: RequestOptions = { timeoutMs: 5_000, signal: AbortSignal.timeout(60_000) };
 * const tokens = await exchangeRefreshTokenForAuthTokens(refreshToken, options);
 * ```
 */
export interface RequestOptions {
  /** The `fetch` to use (tests, proxies, instrumentation). Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Aborts the request; the abort reason is thrown as is. */
  signal?: AbortSignal;
  /** Gives up with `ERR_TIMEOUT` after this long. Default 30 000 ms. */
  timeoutMs?: number;
}

/**
 * Where to sign in and as which client. Every field defaults to PlayStation's, so a psn-api
 * user changes only the import.
 *
 * @example
 * ```ts
 * const keyturn: ExchangeOptions = {
 *   baseUrl: 'https://auth.example.com',
 *   clientId: 'my-bot',
 *   clientSecret: process.env.MY_BOT_SECRET,
 *   redirectUri: 'com.example.bot://redirect',
 *   scope: 'openid offline_access',
 * };
 * const code = await exchangeNpssoForAccessCode(npsso, keyturn);
 * ```
 */
export interface ExchangeOptions extends RequestOptions {
  /**
   * The OAuth prefix, `https://host/api/authz/v3/oauth` (PlayStation's by default). A bare
   * origin such as `http://127.0.0.1:8080` gets `/api/authz/v3/oauth` appended, which is where
   * Keyturn's server serves PlayStation's paths.
   */
  baseUrl?: string | URL;
  /** Default: PlayStation's app client id. */
  clientId?: string;
  /**
   * Sent with HTTP Basic. Default: PlayStation's secret when `clientId` is PlayStation's (or
   * omitted), none otherwise. With no secret the client is public: `client_id` goes in the form.
   */
  clientSecret?: string;
  /**
   * Default: `com.scee.psxandroid.scecompcall://redirect`. `null`: none is sent, and the server
   * uses the client's only registered redirect URI (Keyturn does; see `keyturnServer`).
   */
  redirectUri?: string | null;
  /** Default: `psn:mobile.v2.core psn:clientapp`. */
  scope?: string;
}

/**
 * Options of `exchangeNpssoForAccessCode`.
 *
 * @example
 * ```ts
 * const { codeVerifier } = createPkcePair();
 * const options: AuthorizationOptions = { clientId: 'my-app', codeVerifier, state: crypto.randomUUID() };
 * const code = await exchangeNpssoForAccessCode(npsso, options);
 * ```
 */
export interface AuthorizationOptions extends ExchangeOptions {
  /** PKCE (S256) challenge to send; see `createPkcePair()`. */
  codeChallenge?: string;
  /** PKCE verifier: its S256 challenge is computed and sent (use instead of `codeChallenge`). */
  codeVerifier?: string;
  /** Sent as `state` and checked against the redirect. */
  state?: string;
  nonce?: string;
}

/**
 * Options of `exchangeAccessCodeForAuthTokens`.
 *
 * @example
 * ```ts
 * const options: AuthorizationCodeOptions = { clientId: 'my-app', codeVerifier };
 * const tokens = await exchangeAccessCodeForAuthTokens(code, options);
 * ```
 */
export interface AuthorizationCodeOptions extends ExchangeOptions {
  /** The PKCE verifier whose challenge went to `/authorize`. */
  codeVerifier?: string;
}

/**
 * Options of `exchangeRefreshTokenForAuthTokens`.
 *
 * @example
 * ```ts
 * const options: RefreshTokenOptions = { baseUrl: 'http://127.0.0.1:8080', clientId: 'my-app' };
 * const tokens = await exchangeRefreshTokenForAuthTokens(refreshToken, options);
 * ```
 */
export type RefreshTokenOptions = ExchangeOptions;
