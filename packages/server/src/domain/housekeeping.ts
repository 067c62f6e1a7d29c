/**
 * Housekeeping: deleting rows that can no longer matter (expired codes, grants with their
 * refresh tokens, SSO sessions, revoked access token entries) and signing keys that can no
 * longer have signed a live token. Deletion runs in small batches with a yield to the event
 * loop between them, so requests keep being served while it runs.
 */
import type { ServerConfig } from '../config.js';
import type { Keyturn } from './context.js';
import type { SecurityActor } from './securityEvents.js';

export interface GcOptions {
  /** Rows of each kind per batch (one `deleteExpired` call). Default 500. */
  batchSize?: number;
  /** Upper bound of batches in this pass, so one pass never runs for long. Default 20. */
  maxBatches?: number;
}

export interface GcResult {
  /** Rows deleted in this pass. */
  deleted: number;
  batches: number;
  /** False when the pass stopped at `maxBatches` with rows possibly left for the next one. */
  complete: boolean;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One bounded housekeeping pass: deletes expired rows, and audit events older than
 * `auditRetentionDays`, batch by batch until a batch finds nothing or `maxBatches` is reached.
 *
 * @example
 * ```ts
 * const { deleted, complete } = await collectGarbage(kt, { batchSize: 200 });
 * console.log(`${deleted} rows deleted${complete ? '' : ' (more left)'}`);
 * ```
 */
export async function collectGarbage(kt: Keyturn, options: GcOptions = {}): Promise<GcResult> {
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatches ?? 20;
  if (!Number.isSafeInteger(maxBatches) || maxBatches < 1) throw new RangeError('maxBatches must be a positive integer');
  let deleted = 0;
  for (let batches = 1; ; batches++) {
    const now = kt.now();
    const auditBefore = now - kt.config.auditRetentionDays * 86_400_000;
    const n = (await kt.repo.deleteExpired(now, batchSize)) + (await kt.repo.deleteAuditEventsBefore(auditBefore, batchSize));
    deleted += n;
    if (n === 0) return { deleted, batches, complete: true };
    if (batches >= maxBatches) return { deleted, batches, complete: false };
    await yieldToEventLoop();
  }
}

/**
 * How long a retired signing key must stay published: the longest lifetime of a token it
 * signed (access and ID tokens share `accessTokenTtlSec`), plus the key cache, because other
 * processes may keep signing with the old key until their cache expires.
 *
 * @example
 * ```ts
 * keyRetentionSec(kt.config); // 3630 with the defaults
 * ```
 */
export function keyRetentionSec(config: Pick<ServerConfig, 'accessTokenTtlSec' | 'keyCacheSec'>): number {
  return config.accessTokenTtlSec + config.keyCacheSec;
}

/**
 * Drops retired signing keys that cannot have signed a token that is still valid, each one a
 * `key.pruned` event by `actor` (the server's own housekeeping, or the operator).
 * Returns the kids removed.
 *
 * @example
 * ```ts
 * const removed = await pruneRetiredKeys(kt, 'operator');
 * ```
 */
export async function pruneRetiredKeys(kt: Keyturn, actor: SecurityActor = 'system'): Promise<string[]> {
  const removed = await kt.keys.prune(keyRetentionSec(kt.config));
  for (const kid of removed) await kt.events.emit({ type: 'key.pruned', actor, detail: kid });
  return removed;
}
