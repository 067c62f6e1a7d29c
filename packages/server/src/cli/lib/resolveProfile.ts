/** The server and client a client-side command uses: its flags, over the saved profile, over PlayStation's. */
import { OAUTH_PATH, PSN_BASE_URL, PSN_CLIENT_ID, PSN_REDIRECT_URI, PSN_SCOPE, type ExchangeOptions } from '@keyturn/client';
import type { ClientFlags } from './clientFlags.js';
import { CliError } from './errors.js';
import type { Profile } from './profiles.js';

/** The exchange options from flags, on top of what the profile remembered, on top of PlayStation's. */
export function resolveProfile(flags: ClientFlags, saved?: Profile): Profile {
  let baseUrl = saved?.baseUrl ?? PSN_BASE_URL;
  if (flags.server !== undefined) baseUrl = serverBaseUrl(flags.server);
  const clientChanged = flags.clientId !== undefined && flags.clientId !== saved?.clientId;
  const clientSecret = flags.clientSecret ?? process.env.KEYTURN_CLIENT_SECRET ?? (clientChanged ? undefined : saved?.clientSecret);
  const profile: Profile = {
    baseUrl,
    clientId: flags.clientId ?? saved?.clientId ?? PSN_CLIENT_ID,
    redirectUri: flags.redirectUri ?? saved?.redirectUri ?? PSN_REDIRECT_URI,
    scope: flags.scope ?? saved?.scope ?? PSN_SCOPE,
  };
  if (clientSecret !== undefined && clientSecret !== '') profile.clientSecret = clientSecret;
  return profile;
}

/** `--server http://host:port` (an origin) means the OAuth endpoints under OAUTH_PATH there. */
function serverBaseUrl(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new CliError(`--server "${server}" is not a URL: give the server's origin, e.g. --server http://127.0.0.1:8080`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`--server "${server}" is not an http(s) URL: give the server's origin, e.g. --server http://127.0.0.1:8080`, 2);
  }
  const prefix = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${prefix === '' ? OAUTH_PATH : prefix}`;
}

/** The options every exchange function and AuthSession take, for this profile. */
export function exchangeOptions(profile: Profile): ExchangeOptions {
  const options: ExchangeOptions = {
    baseUrl: profile.baseUrl,
    clientId: profile.clientId,
    redirectUri: profile.redirectUri,
    scope: profile.scope,
  };
  if (profile.clientSecret !== undefined) options.clientSecret = profile.clientSecret;
  return options;
}

/** True when the profile talks to PlayStation's sign-in, which has no device sign-in. */
export function isPlayStationProfile(profile: Profile): boolean {
  return new URL(profile.baseUrl).origin === new URL(PSN_BASE_URL).origin;
}
