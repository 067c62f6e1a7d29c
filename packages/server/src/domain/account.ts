/**
 * A person's own view of where their account is in use: the apps holding live grants
 * (token families) and the other browsers signed in (SSO sessions), and ending one or all of
 * them. Every operation takes the person's id and only ever touches that person's own rows.
 */
import type { GrantRecord, SsoSessionRecord } from '../storage/records.js';
import type { Keyturn } from './context.js';

export interface AccountSession {
  grant: GrantRecord;
  clientId: string;
  /** The client's display name, or its id when it has none. */
  clientName: string;
  /** The grant began from the SSO session of the browser looking at the page. */
  viaThisBrowser: boolean;
}

/**
 * The person's active grants (not revoked, not expired), newest first, with client names.
 *
 * @example
 * ```ts
 * const sessions = await listAccountSessions(kt, user.id, live.session.id);
 * sessions.map((s) => s.clientName); // ['PlayStation App']
 * ```
 */
export async function listAccountSessions(kt: Keyturn, userId: string, currentSsoSessionId: string | null = null): Promise<AccountSession[]> {
  const grants = await kt.repo.listActiveGrantsForUser(userId, kt.now());
  const names = new Map<string, string>();
  for (const clientId of new Set(grants.map((g) => g.clientId))) {
    const client = await kt.repo.getClient(clientId);
    names.set(clientId, client?.name ?? clientId);
  }
  return grants.map((grant) => ({
    grant,
    clientId: grant.clientId,
    clientName: names.get(grant.clientId) ?? grant.clientId,
    viaThisBrowser: currentSsoSessionId !== null && grant.ssoSessionId === currentSsoSessionId,
  }));
}

/**
 * Revokes one grant of this person: its refresh token stops working at once and its access
 * tokens fail introspection and userinfo. Returns the session as it was, or `null` when
 * there is no such grant *for this person* (someone else's grant is treated as unknown).
 *
 * @example
 * ```ts
 * const ended = await revokeAccountSession(kt, user.id, grantId);
 * if (!ended) reply.code(404);
 * ```
 */
export async function revokeAccountSession(kt: Keyturn, userId: string, grantId: string): Promise<AccountSession | null> {
  const grant = await kt.repo.getGrant(grantId);
  if (!grant || grant.userId !== userId) return null;
  await kt.repo.revokeGrant(grant.id, kt.now(), 'revoked by the person on the account page');
  const client = await kt.repo.getClient(grant.clientId);
  return { grant, clientId: grant.clientId, clientName: client?.name ?? grant.clientId, viaThisBrowser: false };
}

/** What "Revoke all" ended. */
export interface RevokedAll {
  /** Live grants revoked (expired ones are not counted). */
  apps: number;
  /** Other browsers signed out (live SSO sessions other than the one asking). */
  browsers: number;
}

/**
 * Revokes every grant of this person and signs out every browser of theirs except
 * `currentSsoSessionId` (the one asking stays signed in; `null` spares none).
 *
 * @example
 * ```ts
 * const { apps, browsers } = await revokeAllAccountSessions(kt, user.id, live.session.id);
 * ```
 */
export async function revokeAllAccountSessions(kt: Keyturn, userId: string, currentSsoSessionId: string | null): Promise<RevokedAll> {
  const now = kt.now();
  const live = await kt.repo.listActiveGrantsForUser(userId, now);
  await kt.repo.revokeGrantsForUser(userId, now, 'all revoked by the person on the account page');
  const browsers = await kt.repo.revokeSsoSessionsForUser(userId, now, currentSsoSessionId);
  kt.events.emit({ type: 'revoke_all', userId, actor: userId, detail: { apps: live.length, browsers } });
  return { apps: live.length, browsers };
}

/**
 * The person's other live browser sign-ins (SSO sessions not revoked, not expired), newest
 * first, without the one asking.
 *
 * @example
 * ```ts
 * const others = await listOtherBrowsers(kt, user.id, live.session.id);
 * others.map((b) => b.userAgent); // ['Mozilla/5.0 (Windows NT 10.0; …) … Firefox/133.0']
 * ```
 */
export async function listOtherBrowsers(kt: Keyturn, userId: string, currentSsoSessionId: string): Promise<SsoSessionRecord[]> {
  const sessions = await kt.repo.listActiveSsoSessionsForUser(userId, kt.now());
  return sessions.filter((session) => session.id !== currentSsoSessionId);
}

/**
 * Signs out one other browser of this person: its npsso stops working at once (ssocookie,
 * authorize, the account page). Apps it authorized keep their grants; they are ended under
 * "Apps and devices". Returns the session as it was, or `null` when it is not a live other
 * browser *of this person*: someone else's session, the one asking (that is `/signout`), an
 * ended one and an unknown id all look the same, and nothing changes.
 *
 * @example
 * ```ts
 * const ended = await signOutOtherBrowser(kt, user.id, live.session.id, ssoSessionId);
 * if (!ended) reply.code(404);
 * ```
 */
export async function signOutOtherBrowser(kt: Keyturn, userId: string, currentSsoSessionId: string, ssoSessionId: string): Promise<SsoSessionRecord | null> {
  const target = (await listOtherBrowsers(kt, userId, currentSsoSessionId)).find((session) => session.id === ssoSessionId);
  if (!target) return null;
  await kt.repo.revokeSsoSession(target.id, kt.now());
  return target;
}
