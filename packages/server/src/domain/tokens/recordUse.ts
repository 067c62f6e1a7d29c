/**
 * Recording a grant's last use (`lastUsedAt`: the idle lifetime counts from it, the account page
 * shows it) without a write on every refresh. The time is kept to within a precision: a refresh
 * writes it only when the stored time is at least that far behind. The idle rule keeps reading
 * the stored time, so a token never outlives its idle lifetime; it may end idle up to one
 * precision early when it was used twice within the precision and then left alone.
 */
import type { ClientRecord, GrantRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';

/** How far `lastUsedAt` may lag the true last use: 60 s. */
export const LAST_USED_PRECISION_MS = 60_000;

/** The precision for `client`: 60 s, or 1% of its idle lifetime when that is shorter, so a short idle lifetime stays exact to the percent. */
export function lastUsedPrecisionMs(client: ClientRecord): number {
  if (client.refreshIdleTtlSec === null) return LAST_USED_PRECISION_MS;
  return Math.min(LAST_USED_PRECISION_MS, client.refreshIdleTtlSec * 10);
}

/**
 * Stores `now` as the grant's last use unless the stored time is within the client's precision of it.
 *
 * @example
 * ```ts
 * await recordUse(kt, client, found.grant, kt.now());
 * ```
 */
export async function recordUse(kt: Keyturn, client: ClientRecord, grant: GrantRecord, now: number): Promise<void> {
  if (now - grant.lastUsedAt < lastUsedPrecisionMs(client)) return;
  await kt.repo.touchGrant(grant.id, now);
}
