/** PlayStation Network's sign-in constants, as psn-api uses them: the defaults of every exchange. */

/** PlayStation's OAuth prefix; `/authorize` and `/token` hang off it. */
export const PSN_BASE_URL = 'https://ca.account.sony.com/api/authz/v3/oauth';
/** The path Keyturn and PlayStation both serve the OAuth endpoints under. */
export const OAUTH_PATH = '/api/authz/v3/oauth';
/** The PlayStation app's client id. */
export const PSN_CLIENT_ID = '09515159-7237-4370-9b40-3806e67c0891';
/** The PlayStation app's client secret (public knowledge: it ships in the app). */
export const PSN_CLIENT_SECRET = 'ucPjka5tntB2KqsP';
export const PSN_REDIRECT_URI = 'com.scee.psxandroid.scecompcall://redirect';
export const PSN_SCOPE = 'psn:mobile.v2.core psn:clientapp';
/** Default time limit of one HTTP exchange. */
export const DEFAULT_TIMEOUT_MS = 30_000;
