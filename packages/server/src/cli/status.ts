/** `keyturn status`: who is signed in, with which scopes, and when the tokens expire. Prints no token. With --check, a monitor's verdict instead. */
import type { Command } from 'commander';
import { decodeJwtPayload, type StoredTokens } from '@keyturn/client';
import { cliErrorFrom } from './lib/cliErrorFrom.js';
import { CliError } from './lib/errors.js';
import { countdown } from './lib/format.js';
import { keyturnHome } from './lib/home.js';
import { openVault } from './lib/openVault.js';
import { checkProfileName, readProfiles, type Profile } from './lib/profiles.js';
import { loginCommand, notSignedIn } from './lib/signInHints.js';
import { statusCheck, type CheckFlags } from './statusCheck.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show who is signed in, the scopes, and when the access and refresh tokens expire')
    .option('--profile <name>', 'name the tokens are stored under', 'default')
    .option('--check', 'for cron and monitoring: one line, exit 0 when the sign-in lasts longer than --warn-days, 1 when it ends within them, 2 when it has ended or cannot be refreshed')
    .option('--warn-days <n>', 'with --check: days before the end that count as a warning', '7')
    .option('--json', 'with --check: print the verdict as one JSON object')
    .action(async (flags: { profile: string; check?: boolean } & CheckFlags) => {
      const name = checkProfileName(flags.profile);
      if (flags.check === true) return statusCheck(name, flags);
      if (flags.json === true) throw new CliError('--json goes with --check: run keyturn status --check --json', 2);
      const home = keyturnHome();
      const profile = (await readProfiles(home))[name];
      if (!profile) throw notSignedIn(name, home);
      const vault = await openVault(home, name, { create: false });
      let tokens: StoredTokens | null;
      try {
        tokens = await vault.load(name);
      } catch (err) {
        throw cliErrorFrom(err, { name, profile, home });
      }
      if (!tokens) throw notSignedIn(name, home);
      process.stdout.write(formatStatus(name, profile, tokens, Date.now()));
    });
}

/** The status report; claims are decoded without verification, for display only. */
export function formatStatus(name: string, profile: Profile, t: StoredTokens, now: number): string {
  const claims = decodeJwtPayload(t.idToken) ?? decodeJwtPayload(t.accessToken) ?? {};
  const who = [claims.sub, claims.email ?? claims.name].filter((v): v is string => typeof v === 'string');
  const accessLeft = Date.parse(t.accessTokenExpiresAt) - now;
  const refreshLeft = Date.parse(t.refreshTokenExpiresAt) - now;
  const rows: Array<[string, string]> = [
    ['Profile', name],
    ['Server', profile.baseUrl],
    ['Client', profile.clientId],
    ['Signed in as', who.length > 0 ? who.join(' ') : '(unknown: the tokens carry no subject)'],
    ['Scopes', t.scope || '(none)'],
    ['Access token', `${accessLeft > 0 ? 'expires' : 'expired'} ${countdown(accessLeft)} (${t.accessTokenExpiresAt})${accessLeft > 0 ? '' : '; `keyturn token` refreshes it'}`],
    ['Refresh token', `${refreshLeft > 0 ? 'expires' : 'expired'} ${countdown(refreshLeft)} (${t.refreshTokenExpiresAt})`],
    ['Sign in again', refreshLeft > 0 ? `before ${t.refreshTokenExpiresAt.slice(0, 10)} (${t.refreshTokenExpiresAt})` : `now: ${loginCommand({ name })}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}\n`).join('');
}
