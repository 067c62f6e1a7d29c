/** `keyturn status --check`: one line and a Nagios exit code (0 OK, 1 WARNING, 2 CRITICAL) saying how long the sign-in lasts, for cron and monitors. */
import { isReloginRequired, KeyturnError, type StoredTokens, type Vault } from '@keyturn/client';
import { cliErrorFrom } from './lib/cliErrorFrom.js';
import { cliSession } from './lib/cliSession.js';
import { CliError } from './lib/errors.js';
import { keyturnHome } from './lib/home.js';
import { openVault } from './lib/openVault.js';
import { readProfiles, type Profile } from './lib/profiles.js';
import { CHECK_STATES, reloginCommand, signInSentence, signInState, type CheckState } from './lib/signInCheck.js';
import { notSignedIn } from './lib/signInHints.js';

export interface CheckFlags {
  warnDays: string;
  json?: boolean;
}

/** What the check found; `--json` prints it as it is. */
export interface CheckResult {
  state: CheckState;
  exitCode: 0 | 1 | 2;
  profile: string;
  server: string | null;
  clientId: string | null;
  refreshTokenExpiresAt: string | null;
  secondsLeft: number | null;
  warnDays: number;
  message: string;
}

/** Prints the check's line (or JSON) on stdout, whatever the state, and sets the exit code. */
export async function statusCheck(name: string, flags: CheckFlags): Promise<void> {
  const result = await checkSignIn(name, parseWarnDays(flags.warnDays), keyturnHome(), Date.now);
  process.stdout.write(flags.json === true ? `${JSON.stringify(result)}\n` : `${result.message}\n`);
  process.exitCode = result.exitCode;
}

/**
 * Decides from the stored expiry; a sign-in that has not ended must also still refresh (when
 * its access token is due, exactly as `keyturn token` would), or it is CRITICAL too.
 */
export async function checkSignIn(name: string, warnDays: number, home: string, now: () => number): Promise<CheckResult> {
  const profile = (await readProfiles(home))[name];
  const report = (state: CheckState, message: string, tokens?: StoredTokens): CheckResult => ({
    state,
    exitCode: CHECK_STATES[state],
    profile: name,
    server: profile ? new URL(profile.baseUrl).origin : null,
    clientId: profile?.clientId ?? null,
    refreshTokenExpiresAt: tokens?.refreshTokenExpiresAt ?? null,
    secondsLeft: tokens ? Math.floor((Date.parse(tokens.refreshTokenExpiresAt) - now()) / 1000) : null,
    warnDays,
    message: `${state}: ${message}`,
  });
  if (!profile) return report('CRITICAL', notSignedIn(name, home).message);
  let vault: Vault;
  let tokens: StoredTokens | null;
  try {
    vault = await openVault(home, name, { create: false });
    tokens = await vault.load(name);
  } catch (err) {
    return report('CRITICAL', messageOf(cliErrorFrom(err, { name, profile, home })));
  }
  if (!tokens) return report('CRITICAL', notSignedIn(name, home).message);
  if (signInState(tokens.refreshTokenExpiresAt, now(), warnDays) !== 'CRITICAL') {
    try {
      const session = await cliSession(vault, name, profile);
      await session.getAccessToken();
      tokens = session.tokens;
    } catch (err) {
      return report('CRITICAL', cannotRefresh(name, profile, err), tokens);
    }
  }
  const state = signInState(tokens.refreshTokenExpiresAt, now(), warnDays);
  return report(state, signInSentence(state, name, profile, tokens.refreshTokenExpiresAt, now()), tokens);
}

function cannotRefresh(name: string, profile: Profile, err: unknown): string {
  const cause = err instanceof KeyturnError && err.error ? `${err.error}${err.error_description ? `: ${err.error_description}` : ''}` : messageOf(err);
  if (isReloginRequired(err)) {
    return `the sign-in of profile "${name}" cannot be refreshed (${cause}): sign in again now with ${reloginCommand(name, profile)}`;
  }
  return `the sign-in of profile "${name}" could not be refreshed (${cause}): check that the server at ${new URL(profile.baseUrl).origin} is up, then check again`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A whole number of days, 0 or more. */
export function parseWarnDays(value: string): number {
  if (!/^\d{1,4}$/.test(value)) throw new CliError(`--warn-days "${value}" is not a whole number of days: give e.g. --warn-days 14`, 2);
  return Number(value);
}
