/** SSO sessions: resolving an `npsso` value to a live session and its person, and ending it. */
import type { SsoSessionRecord, UserRecord } from '../storage/records.js';
import type { Keyturn } from './context.js';
import { sha256Hex } from './lib/crypto.js';

export const NPSSO_PATTERN = /^[A-Za-z0-9_-]{64}$/;

export interface LiveSso {
  session: SsoSessionRecord;
  user: UserRecord;
}

/** The live session behind an npsso value, or null when it is malformed, unknown, expired or ended. */
export async function resolveSso(kt: Keyturn, npsso: string | undefined | null): Promise<LiveSso | null> {
  if (!npsso || !NPSSO_PATTERN.test(npsso)) return null;
  const session = await kt.repo.findSsoSessionByHash(sha256Hex(npsso));
  if (!session || session.revokedAt !== null || session.expiresAt <= kt.now()) return null;
  const user = await kt.repo.findUserById(session.userId);
  // A disabled person's sessions are ended when they are disabled; this covers one begun meanwhile.
  if (!user || user.status !== 'active') return null;
  return { session, user };
}

/** Ends the SSO session behind an npsso value (sign-out from `address`). Unknown values are ignored. */
export async function endSso(kt: Keyturn, npsso: string | undefined | null, address: string | null = null): Promise<void> {
  const live = await resolveSso(kt, npsso);
  if (!live) return;
  await kt.repo.revokeSsoSession(live.session.id, kt.now());
  await kt.events.emit({ type: 'signout', userId: live.user.id, email: live.user.email, address, actor: 'person' });
}
