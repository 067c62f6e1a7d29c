/** PlayStation Network's sign-in constants, as psn-api uses them: the defaults of every exchange. */

/**
 * PlayStation's OAuth prefix; `/authorize` and `/token` hang off it. The default `baseUrl`.
 *
 * @example
 * ```ts
 * const tokenUrl = `${PSN_BASE_URL}/token`; // https://ca.account.sony.com/api/authz/v3/oauth/token
 * ```
 */
export const PSN_BASE_URL = 'https://ca.account.sony.com/api/authz/v3/oauth';
/**
 * The path Keyturn and PlayStation both serve the OAuth endpoints under.
 *
 * @example
 * ```ts
 * const discovery = await fetch(new URL('/.well-known/openid-configuration', 'http://127.0.0.1:8080'));
 * const tokenUrl = new URL(`${OAUTH_PATH}/token`, 'http://127.0.0.1:8080');
 * ```
 */
export const OAUTH_PATH = '/api/authz/v3/oauth';
/**
 * The PlayStation app's client id: the default `clientId`. Register it on a Keyturn server to
 * run unchanged psn-api code against it.
 *
 * @example
 * ```ts
 * // keyturn client add --id 09515159-7237-4370-9b40-3806e67c0891 …
 * const code = await exchangeNpssoForAccessCode(npsso, { baseUrl: 'http://127.0.0.1:8080', clientId: PSN_CLIENT_ID });
 * ```
 */
export const PSN_CLIENT_ID = '09515159-7237-4370-9b40-3806e67c0891';
/** The PlayStation app's client secret (public knowledge: it ships in the app). */
export const PSN_CLIENT_SECRET = 'ucPjka5tntB2KqsP';
/**
 * The PlayStation app's redirect URI: the default `redirectUri`.
 *
 * @example
 * ```ts
 * const code = await exchangeNpssoForAccessCode(npsso, { redirectUri: PSN_REDIRECT_URI });
 * ```
 */
export const PSN_REDIRECT_URI = 'com.scee.psxandroid.scecompcall://redirect';
/**
 * The scope psn-api asks for: the default `scope`.
 *
 * @example
 * ```ts
 * const code = await exchangeNpssoForAccessCode(npsso, { scope: `${PSN_SCOPE} openid` });
 * ```
 */
export const PSN_SCOPE = 'psn:mobile.v2.core psn:clientapp';
/** Default time limit of one HTTP exchange. */
export const DEFAULT_TIMEOUT_MS = 30_000;
