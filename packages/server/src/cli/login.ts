/** `keyturn login`: exchanges an NPSSO (or, with --device, an approval on another device) for tokens and stores them, encrypted, under a profile. */
import type { Command } from 'commander';
import { AuthSession } from '@keyturn/client';
import { clientOptions, type ClientFlags } from './lib/clientFlags.js';
import { cliErrorFrom } from './lib/cliErrorFrom.js';
import { CliError } from './lib/errors.js';
import { keyturnHome } from './lib/home.js';
import { openVault } from './lib/openVault.js';
import { printSignedIn } from './lib/printSignedIn.js';
import { checkProfileName, readProfiles, writeProfile } from './lib/profiles.js';
import { readStdin } from './lib/readStdin.js';
import { exchangeOptions, resolveProfile } from './lib/resolveProfile.js';
import { npssoSource } from './lib/signInHints.js';
import { loginWithDevice } from './loginDevice.js';

interface LoginFlags extends ClientFlags {
  npsso?: string;
  npssoStdin?: boolean;
  device?: boolean;
  qr: boolean;
}

export function registerLogin(program: Command): void {
  clientOptions(
    program
      .command('login')
      .description(
        'sign in with an NPSSO token (a Keyturn server gives it at /api/v1/ssocookie after you sign in at /signin), ' +
          'or with --device by approving a code on your phone; ' +
          'stores the tokens encrypted under ~/.config/keyturn (or $KEYTURN_HOME), where openCliVault() of @keyturn/client reads them',
      )
      .option('--npsso <token>', 'the NPSSO token (other local users can see it in the process list: prefer --npsso-stdin)')
      .option('--npsso-stdin', 'read the NPSSO token from standard input')
      .option('--device', 'sign in on another device (RFC 8628): shows a page, a code and a QR code, and waits for your approval there')
      .option('--no-qr', 'with --device: show the page and the code without the QR code'),
  ).action(async (flags: LoginFlags) => {
    const name = checkProfileName(flags.profile);
    if (flags.device === true) {
      if (flags.npsso !== undefined || flags.npssoStdin === true) {
        throw new CliError('--device and --npsso/--npsso-stdin exclude each other: keep one way of signing in', 2);
      }
      return loginWithDevice(name, flags);
    }
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
    printSignedIn(name, profile, session.tokens);
  });
}
