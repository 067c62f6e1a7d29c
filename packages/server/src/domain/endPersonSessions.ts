/**
 * Ending everything a person is signed in with, at once: what "Revoke all" does, and what
 * disabling a person or setting a new password must do. One place, so that none of them can
 * forget the authorization codes handed out and not yet exchanged.
 */
import type { Keyturn } from './context.js';

export interface EndPersonSessionsOptions {
  /** The browser asking, which stays signed in (`null`: sign out every browser). */
  keepSsoSessionId: string | null;
  /** Stored as the grants' `revokedReason`. */
  reason: string;
}

/** What `endPersonSessions` ended. */
export interface EndedPersonSessions {
  /** Live grants revoked (expired ones are not counted). */
  apps: number;
  /** Browsers signed out (live SSO sessions other than the one kept). */
  browsers: number;
}

/**
 * Signs out every browser of the person but the one kept, deletes every authorization code
 * of theirs not yet exchanged (the kept browser's too: they are invalid_grant from now on),
 * and revokes every grant. The steps run in this order so that a code exchange racing with
 * them either finds its code gone and creates nothing, or linked its grant before the codes
 * went, and that grant is revoked by the last step.
 *
 * @example
 * ```ts
 * const { apps, browsers } = await endPersonSessions(kt, user.id, { keepSsoSessionId: null, reason: 'person disabled' });
 * ```
 */
export async function endPersonSessions(kt: Keyturn, userId: string, options: EndPersonSessionsOptions): Promise<EndedPersonSessions> {
  const now = kt.now();
  const liveGrants = await kt.repo.listActiveGrantsForUser(userId, now);
  const browsers = await kt.repo.revokeSsoSessionsForUser(userId, now, options.keepSsoSessionId);
  await kt.repo.deleteOutstandingAuthCodesForUser(userId);
  await kt.repo.revokeGrantsForUser(userId, now, options.reason);
  return { apps: liveGrants.length, browsers };
}
