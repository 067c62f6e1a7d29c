/** `keyturn login`: exchanges an NPSSO for tokens and stores them, encrypted, under a profile. */
import type { Command } from 'commander';
import { AuthSession, decodeJwtPayload, type StoredTokens } from '@keyturn/client';
import { clientOptions, type ClientFlags } from './lib/clientFlags.js';
import { cliErrorFrom } from './lib/cliErrorFrom.js';
import { CliError } from './lib/errors.js';
import { countdown } from './lib/format.js';
import { keyturnHome } from './lib/home.js';
import { openVault } from './lib/openVault.js';
import { checkProfileName, readProfiles, writeProfile } from './lib/profiles.js';
import { readStdin } from './lib/readStdin.js';
import { exchangeOptions, resolveProfile } from './lib/resolveProfile.js';
import { npssoSource } from './lib/signInHints.js';

interface LoginFlags extends ClientFlags {
  npsso?: string;
  npssoStdin?: boolean;
}

export function registerLogin(program: Command): void {
  clientOptions(
    program
      .command('login')
      .description(
        'sign in with an NPSSO token (a Keyturn server gives it at /api/v1/ssocookie after you sign in at /signin); ' +
          'stores the tokens encrypted under ~/.config/keyturn (or $KEYTURN_HOME), where openCliVault() of @keyturn/client reads them',
      )
      .option('--npsso <token>', 'the NPSSO token (other local users can see it in the process list: prefer --npsso-stdin)')
      .option('--npsso-stdin', 'read the NPSSO token from standard input'),
  ).action(async (flags: LoginFlags) => {
    const name = checkProfileName(flags.profile);
    if (flags.npsso !== undefined && flags.npssoStdin === true) {
      throw new CliError('--npsso and --npsso-stdin exclude each other: keep --npsso-stdin and pipe the token in', 2);
    }
    const home = keyturnHome();
    const profile = resolveProfile(flags, (await readProfiles(home))[name]);
    if (flags.npsso === undefined && flags.npssoStdin !== true) {
      throw new CliError(`no NPSSO token given: ${npssoSource(profile.baseUrl)}, and pipe it to keyturn login --npsso-stdin`, 2);
    }
    const npsso = (flags.npsso ?? (await readStdin())).trim();
    if (npsso === '') throw new CliError(`the NPSSO token is empty: ${npssoSource(profile.baseUrl)}, and pass that 64-character value`, 2);
    const vault = await openVault(home, name, { create: true });
    let session: AuthSession;
    try {
      session = await AuthSession.fromNpsso(npsso, { ...exchangeOptions(profile), vault, name });
    } catch (err) {
      throw cliErrorFrom(err, { name, profile, home, server: flags.server });
    }
    await writeProfile(home, name, profile);
    const t = session.tokens;
    const who = signedInAs(t);
    const now = Date.now();
    process.stdout.write(
      [
        `Signed in${who === undefined ? '' : ` as ${who}`} (profile "${name}", ${new URL(profile.baseUrl).origin}).`,
        `Access token expires ${countdown(Date.parse(t.accessTokenExpiresAt) - now)}; it is refreshed automatically.`,
        `Refresh token expires ${countdown(Date.parse(t.refreshTokenExpiresAt) - now)}: sign in again before ${t.refreshTokenExpiresAt}.`,
        '',
      ].join('\n'),
    );
  });
}

/** The email when the `email` scope was granted and the ID token carries it, else the subject. */
export function signedInAs(t: Pick<StoredTokens, 'idToken' | 'accessToken' | 'scope'>): string | undefined {
  const id = decodeJwtPayload(t.idToken) ?? {};
  if (t.scope.split(' ').includes('email') && typeof id.email === 'string') return id.email;
  const sub = id.sub ?? decodeJwtPayload(t.accessToken)?.sub;
  return typeof sub === 'string' ? sub : undefined;
}
