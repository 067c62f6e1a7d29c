/** `keyturn token`: prints a valid access token and a newline (refreshing first if needed), for `$(keyturn token)`. */
import type { Command } from 'commander';
import { AuthSession, ReloginRequiredError } from '@keyturn/client';
import { clientOptions, type ClientFlags } from './lib/clientFlags.js';
import { cliErrorFrom } from './lib/cliErrorFrom.js';
import { keyturnHome } from './lib/home.js';
import { openVault } from './lib/openVault.js';
import { checkProfileName, readProfiles } from './lib/profiles.js';
import { exchangeOptions, resolveProfile } from './lib/resolveProfile.js';
import { notSignedIn } from './lib/signInHints.js';

/** A command-line token should last a while: refresh (and wait for it) in its last 5 minutes. */
const CLI_WINDOW_MS = 300_000;

export function registerToken(program: Command): void {
  clientOptions(
    program.command('token').description('print a valid access token (refreshed first when it expires within 5 minutes)'),
  ).action(async (flags: ClientFlags) => {
    const name = checkProfileName(flags.profile);
    const home = keyturnHome();
    const saved = (await readProfiles(home))[name];
    if (!saved) throw notSignedIn(name, home);
    const profile = resolveProfile(flags, saved);
    const vault = await openVault(home, name, { create: false });
    let token: string;
    try {
      const session = await AuthSession.fromVault(vault, name, {
        ...exchangeOptions(profile),
        refreshWindowMs: CLI_WINDOW_MS,
        mustRefreshWindowMs: CLI_WINDOW_MS,
      });
      token = await session.getAccessToken();
    } catch (err) {
      if (err instanceof ReloginRequiredError && err.status === 0) throw notSignedIn(name, home);
      throw cliErrorFrom(err, { name, profile, home, server: flags.server });
    }
    process.stdout.write(`${token}\n`);
  });
}
