/** How long a sign-in lasts, as a monitor reads it: OK, WARNING or CRITICAL with the Nagios exit codes. */
import { countdown, isoSeconds } from './format.js';
import type { Profile } from './profiles.js';
import { isPlayStationProfile } from './resolveProfile.js';
import { deviceLoginCommand, loginCommand } from './signInHints.js';

const DAY_MS = 86_400_000;

/** The Nagios plugin states and their exit codes. */
export const CHECK_STATES = { OK: 0, WARNING: 1, CRITICAL: 2 } as const;
export type CheckState = keyof typeof CHECK_STATES;

/**
 * OK while the refresh token lives longer than `warnDays`; WARNING once it ends within them
 * (at exactly `warnDays` left too); CRITICAL once it has ended (at its expiry instant too).
 */
export function signInState(refreshTokenExpiresAt: string, now: number, warnDays: number): CheckState {
  const left = Date.parse(refreshTokenExpiresAt) - now;
  if (!(left > 0)) return 'CRITICAL';
  return left <= warnDays * DAY_MS ? 'WARNING' : 'OK';
}

/** The command that signs this profile in again: on a phone for a Keyturn server, with an NPSSO for PlayStation. */
export function reloginCommand(name: string, profile: Profile): string {
  return isPlayStationProfile(profile) ? loginCommand({ name }) : deviceLoginCommand({ name, profile });
}

/** What to say of a sign-in that has not failed: how long it lasts and by when to sign in again. */
export function signInSentence(state: CheckState, name: string, profile: Profile, refreshTokenExpiresAt: string, now: number): string {
  if (state !== 'OK') return endsSoon(name, profile, refreshTokenExpiresAt, now);
  const expiresAt = Date.parse(refreshTokenExpiresAt);
  return `profile "${name}" stays signed in until ${isoSeconds(expiresAt)} (${countdown(expiresAt - now)}): sign in again before then`;
}

/**
 * "the sign-in of profile "x" ends in 3 days 2 h (…): sign in again before then with …", or
 * "ended … ago …: sign in again now with …" (also `keyturn token`'s warning).
 */
export function endsSoon(name: string, profile: Profile, refreshTokenExpiresAt: string, now: number): string {
  const expiresAt = Date.parse(refreshTokenExpiresAt);
  const when = expiresAt > now ? `ends ${countdown(expiresAt - now)}` : `ended ${countdown(expiresAt - now)}`;
  return `the sign-in of profile "${name}" ${when} (${isoSeconds(expiresAt)}): sign in again ${expiresAt > now ? 'before then' : 'now'} with ${reloginCommand(name, profile)}`;
}
