/** `keyturn login`: exchanges an NPSSO for tokens and stores them, encrypted, under a profile. */
import type { Command } from 'commander';
import { AuthSession, decodeJwtPayload } from '@keyturn/client';
import { CliError } from './lib/errors.js';
import { readStdin } from './lib/context.js';
import {
  checkProfileName,
  clientOptions,
  cliErrorFrom,
  countdown,
  exchangeOptions,
  keyturnHome,
  openCliVault,
  readProfiles,
  resolveProfile,
  writeProfile,
  type ClientFlags,
} from './lib/clientAuth.js';

interface LoginFlags extends ClientFlags {
  npsso?: string;
  npssoStdin?: boolean;
}

export function registerLogin(program: Command): void {
  clientOptions(
    program
      .command('login')
      .description('sign in with an NPSSO token; stores the tokens encrypted under ~/.config/keyturn (or $KEYTURN_HOME)')
      .option('--npsso <token>', 'the NPSSO token (other local users can see it in the process list: prefer --npsso-stdin)')
      .option('--npsso-stdin', 'read the NPSSO token from standard input'),
  ).action(async (flags: LoginFlags) => {
    const name = checkProfileName(flags.profile);
    if ((flags.npsso !== undefined) === (flags.npssoStdin === true)) {
      throw new CliError('give exactly one of --npsso <token> or --npsso-stdin', 2);
    }
    const home = keyturnHome();
    const profile = resolveProfile(flags, (await readProfiles(home))[name]);
    const npsso = (flags.npsso ?? (await readStdin())).trim();
    if (npsso === '') throw new CliError('the NPSSO token is empty', 2);
    const vault = await openCliVault(home, { create: true });
    let session: AuthSession;
    try {
      session = await AuthSession.fromNpsso(npsso, { ...exchangeOptions(profile), vault, name });
    } catch (err) {
      throw cliErrorFrom(err, name);
    }
    await writeProfile(home, name, profile);
    const t = session.tokens;
    const sub = decodeJwtPayload(t.idToken)?.sub ?? decodeJwtPayload(t.accessToken)?.sub;
    const now = Date.now();
    process.stdout.write(
      [
        `Signed in${typeof sub === 'string' ? ` as ${sub}` : ''} (profile "${name}", ${new URL(profile.baseUrl).origin}).`,
        `Access token expires ${countdown(Date.parse(t.accessTokenExpiresAt) - now)}; it is refreshed automatically.`,
        `Refresh token expires ${countdown(Date.parse(t.refreshTokenExpiresAt) - now)}: sign in again before ${t.refreshTokenExpiresAt}.`,
        '',
      ].join('\n'),
    );
  });
}
