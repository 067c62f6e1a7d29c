/** The session a client-side command runs on: the stored tokens, refreshed the way `keyturn token` does. */
import { AuthSession, type Vault } from '@keyturn/client';
import type { Profile } from './profiles.js';
import { exchangeOptions } from './resolveProfile.js';

/** A command-line token should last a while: refresh (and wait for it) in its last 5 minutes. */
export const CLI_WINDOW_MS = 300_000;

/** Resumes the profile's session from the vault; refreshes happen in the last 5 minutes of the access token. */
export function cliSession(vault: Vault, name: string, profile: Profile): Promise<AuthSession> {
  return AuthSession.fromVault(vault, name, {
    ...exchangeOptions(profile),
    refreshWindowMs: CLI_WINDOW_MS,
    mustRefreshWindowMs: CLI_WINDOW_MS,
  });
}
