/**
 * A person's own view of where their account is in use: the apps holding live grants
 * (token families), and revoking one or all of them. Every operation takes the person's id
 * and only ever touches that person's grants.
 */
import type { GrantRecord } from '../storage/types.js';
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

/**
 * Revokes every grant of this person; returns how many were live (expired ones are not counted).
 *
 * @example
 * ```ts
 * const count = await revokeAllAccountSessions(kt, user.id);
 * ```
 */
export async function revokeAllAccountSessions(kt: Keyturn, userId: string): Promise<number> {
  const now = kt.now();
  const live = await kt.repo.listActiveGrantsForUser(userId, now);
  await kt.repo.revokeGrantsForUser(userId, now, 'all revoked by the person on the account page');
  return live.length;
}
