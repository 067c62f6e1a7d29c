/** `keyturn login --device`: device sign-in (RFC 8628) for a box without a browser, over SSH too. */
import { AuthSession } from '@keyturn/client';
import type { ClientFlags } from './lib/clientFlags.js';
import { deviceDisplay } from './lib/deviceDisplay.js';
import { deviceLoginError } from './lib/deviceLoginError.js';
import { CliError } from './lib/errors.js';
import { keyturnHome } from './lib/home.js';
import { openVault } from './lib/openVault.js';
import { printSignedIn } from './lib/printSignedIn.js';
import { readProfiles, writeProfile, type Profile } from './lib/profiles.js';
import { exchangeOptions, isPlayStationProfile, resolveProfile } from './lib/resolveProfile.js';

/** The exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it. */
const EXIT_INTERRUPTED = 130;

/** The reason the sign-in was aborted with when the person pressed Ctrl-C. */
class Interrupted extends Error {}

/**
 * Shows the page, the code and a QR code, waits for the approval (a countdown on a terminal),
 * then saves the tokens exactly as `--npsso-stdin` does. Ctrl-C stops it with nothing saved.
 */
export async function loginWithDevice(name: string, flags: ClientFlags & { qr: boolean }): Promise<void> {
  const home = keyturnHome();
  const saved = (await readProfiles(home))[name];
  // Without --scope, ask for what the profile had, else nothing: the server grants the client's registered scopes.
  const profile: Profile = { ...resolveProfile(flags, saved), scope: flags.scope ?? saved?.scope ?? '' };
  if (isPlayStationProfile(profile)) {
    throw new CliError('PlayStation offers no device sign-in: name a Keyturn server with --server (e.g. --server http://127.0.0.1:8080), or use keyturn login --npsso-stdin', 2);
  }
  const vault = await openVault(home, name, { create: true });
  const stop = new AbortController();
  const onSigint = () => stop.abort(new Interrupted());
  process.once('SIGINT', onSigint);
  const display = deviceDisplay(process.stdout, { qr: flags.qr });
  let session: AuthSession;
  try {
    session = await AuthSession.fromDeviceLogin({
      ...exchangeOptions(profile),
      vault,
      name,
      signal: stop.signal,
      onUserCode: (authorization) => display.show(authorization),
    });
  } catch (err) {
    if (stop.signal.reason instanceof Interrupted) {
      throw new CliError('sign-in cancelled (Ctrl-C), nothing was saved: run keyturn login --device again when you are ready', EXIT_INTERRUPTED);
    }
    throw deviceLoginError(err, { name, profile, home, server: flags.server });
  } finally {
    display.stop();
    process.removeListener('SIGINT', onSigint);
  }
  const tokens = session.tokens;
  await writeProfile(home, name, { ...profile, scope: tokens.scope || profile.scope });
  printSignedIn(name, profile, tokens);
}
