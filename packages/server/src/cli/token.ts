/**
 * `keyturn token`: prints a valid access token and a newline (refreshing first if needed), for
 * `$(keyturn token)`. Within the refresh token's last 7 days it also warns, on stderr only.
 */
import type { Command } from 'commander';
import { ReloginRequiredError } from '@keyturn/client';
import { clientOptions, type ClientFlags } from './lib/clientFlags.js';
import { cliErrorFrom } from './lib/cliErrorFrom.js';
import { cliSession } from './lib/cliSession.js';
import { keyturnHome } from './lib/home.js';
import { openVault } from './lib/openVault.js';
import { checkProfileName, readProfiles } from './lib/profiles.js';
import { resolveProfile } from './lib/resolveProfile.js';
import { endsSoon } from './lib/signInCheck.js';
import { notSignedIn } from './lib/signInHints.js';

export function registerToken(program: Command): void {
  clientOptions(
    program
      .command('token')
      .description('print a valid access token (refreshed first when it expires within 5 minutes); within 7 days of the end of the sign-in, a warning on stderr'),
  ).action(async (flags: ClientFlags) => {
    const name = checkProfileName(flags.profile);
    const home = keyturnHome();
    const saved = (await readProfiles(home))[name];
    if (!saved) throw notSignedIn(name, home);
    const profile = resolveProfile(flags, saved);
    const vault = await openVault(home, name, { create: false });
    let token: string;
    try {
      const session = await cliSession(vault, name, profile);
      // stderr only: `$(keyturn token)` must capture nothing but the token.
      session.on('refreshTokenExpiring', ({ refreshTokenExpiresAt }) =>
        process.stderr.write(`keyturn: warning: ${endsSoon(name, profile, refreshTokenExpiresAt, Date.now())}\n`),
      );
      token = await session.getAccessToken();
    } catch (err) {
      if (err instanceof ReloginRequiredError && err.status === 0) throw notSignedIn(name, home);
      throw cliErrorFrom(err, { name, profile, home, server: flags.server });
    }
    process.stdout.write(`${token}\n`);
  });
}
