/** The next step when a client-side command needs a new sign-in: where an NPSSO comes from, what to run. */
import { PSN_BASE_URL } from '@keyturn/client';
import { CliError } from './errors.js';
import type { Profile } from './profiles.js';

/** What the sign-in hint repeats: the profile and the --server the user gave. */
export interface SignInTarget {
  name: string;
  /** OAuth base URL of the server (from --server or the saved profile). */
  baseUrl: string;
  /** --server exactly as given on this command, if it was. */
  server?: string | undefined;
}

/** `keyturn login --npsso-stdin [--server …] [--profile …]`. */
export function loginCommand(target: Pick<SignInTarget, 'name' | 'server'>): string {
  const server = target.server === undefined ? '' : ` --server ${target.server}`;
  const profile = target.name === 'default' ? '' : ` --profile ${target.name}`;
  return `keyturn login --npsso-stdin${server}${profile}`;
}

/** `keyturn login --device --server … --client-id … [--profile …]`, repeating the flags that choose where. */
export function deviceLoginCommand(target: { name: string; profile: Pick<Profile, 'baseUrl' | 'clientId'> }): string {
  const profile = target.name === 'default' ? '' : ` --profile ${target.name}`;
  return `keyturn login --device --server ${new URL(target.profile.baseUrl).origin} --client-id ${target.profile.clientId}${profile}`;
}

/** Where to get a fresh NPSSO: PlayStation's cookie page, or the Keyturn server's. */
export function npssoSource(baseUrl: string): string {
  const origin = new URL(baseUrl).origin;
  if (origin === new URL(PSN_BASE_URL).origin) {
    return `sign in at https://www.playstation.com, then copy "npsso" from ${origin}/api/v1/ssocookie`;
  }
  return `sign in at ${origin}/signin, then copy "npsso" from ${origin}/api/v1/ssocookie`;
}

/** "…: <how to get an NPSSO>, and run <login command>". */
export function signInAgain(target: SignInTarget): string {
  return `${npssoSource(target.baseUrl)}, and run ${loginCommand(target)}`;
}

/** Nothing is stored for the profile (exit 1). */
export function notSignedIn(name: string, home: string): CliError {
  return new CliError(`not signed in (no tokens for profile "${name}" in ${home}): sign in with ${loginCommand({ name })}`);
}
