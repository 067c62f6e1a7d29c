/**
 * SSO sessions: resolving an `npsso` value to a live session and its person, and ending it.
 *
 * Ending a session ends what it can still hand out: an authorization code is only exchanged
 * while the SSO session that issued it is live (`isSsoSessionLive`, asked by `exchangeCode`).
 * So every way a session ends — sign-out, another browser signing it out, "Revoke all",
 * disabling the person, a new password, expiry — makes its unexchanged codes worthless
 * without having to find them. Ending every session of a person goes through
 * `endPersonSessions`, which also deletes the person's outstanding codes, those of the
 * browser it spares included.
 */
import type { SsoSessionRecord, UserRecord } from '../storage/records.js';
import type { Keyturn } from './context.js';
import { sha256Hex } from './lib/crypto.js';

export const NPSSO_PATTERN = /^[A-Za-z0-9_-]{64}$/;

export interface LiveSso {
  session: SsoSessionRecord;
  user: UserRecord;
}

/** The one rule for "is this SSO session live": neither revoked nor expired at `now`. */
function live(session: SsoSessionRecord | null, now: number): session is SsoSessionRecord {
  return session !== null && session.revokedAt === null && session.expiresAt > now;
}

/** The live session behind an npsso value, or null when it is malformed, unknown, expired or ended. */
export async function resolveSso(kt: Keyturn, npsso: string | undefined | null): Promise<LiveSso | null> {
  if (!npsso || !NPSSO_PATTERN.test(npsso)) return null;
  const session = await kt.repo.findSsoSessionByHash(sha256Hex(npsso));
  if (!live(session, kt.now())) return null;
  const user = await kt.repo.findUserById(session.userId);
  if (!user) return null;
  return { session, user };
}

/**
 * Whether the SSO session with this id is still live now. `null` (the session row is gone:
 * housekeeping removes sessions once expired) is not.
 *
 * @example
 * ```ts
 * if (!(await isSsoSessionLive(kt, code.ssoSessionId))) throw new OAuthError('invalid_grant', '…');
 * ```
 */
export async function isSsoSessionLive(kt: Keyturn, ssoSessionId: string | null): Promise<boolean> {
  if (ssoSessionId === null) return false;
  return live(await kt.repo.findSsoSessionById(ssoSessionId), kt.now());
}

/** Ends the SSO session behind an npsso value (sign-out). Unknown values are ignored. */
export async function endSso(kt: Keyturn, npsso: string | undefined | null): Promise<void> {
  const session = await resolveSso(kt, npsso);
  if (session) await kt.repo.revokeSsoSession(session.session.id, kt.now());
}
