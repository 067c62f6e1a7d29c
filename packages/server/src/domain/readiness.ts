/**
 * Readiness: can this process serve now? The database answers, a signing key is loaded, and
 * Redis answers when one is configured. Each check is bounded in time, so a backing service
 * that hangs makes the probe say "fail", never makes it hang.
 */
import type { Keyturn } from './context.js';

/** How long one check may take before it counts as failed. */
export const CHECK_TIMEOUT_MS = 2_000;

export interface Readiness {
  ready: boolean;
  /** `ok`, or `fail: <short reason>` per part; `redis` only when Redis is configured. */
  checks: { database: string; keys: string; redis?: string };
}

/**
 * Runs the checks in parallel. Reasons are short codes (`ECONNREFUSED`, `timeout`), never a
 * host name or a driver message: the probe is served on the public listener.
 *
 * @example
 * ```ts
 * const { ready, checks } = await checkReadiness(kt); // { ready: false, checks: { database: 'fail: ECONNREFUSED', keys: 'ok' } }
 * ```
 */
export async function checkReadiness(kt: Keyturn): Promise<Readiness> {
  const [database, keys, redis] = await Promise.all([
    bounded(() => kt.repo.ping()),
    bounded(() => activeKeyLoaded(kt)),
    kt.config.redisUrl ? bounded(() => kt.attempts.ping()) : Promise.resolve(undefined),
  ]);
  const checks: Readiness['checks'] = { database, keys, ...(redis === undefined ? {} : { redis }) };
  return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
}

/** A key in memory is enough; with none (a failed reload during an outage), one re-read of the store. */
async function activeKeyLoaded(kt: Keyturn): Promise<void> {
  if (kt.keys.loadedActiveKid() !== null) return;
  await kt.keys.reload();
  if (kt.keys.loadedActiveKid() === null) throw new NoActiveKey();
}

class NoActiveKey extends Error {
  readonly code = 'NO_ACTIVE_SIGNING_KEY';
}

async function bounded(check: () => Promise<void>): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('fail: timeout'), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([check().then(() => 'ok', (err: unknown) => `fail: ${shortReason(err)}`), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A system or SQLSTATE code from the error or its cause, else `unavailable`. */
function shortReason(err: unknown): string {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,32}$/.test(code) && code !== 'ERR_UNAVAILABLE') return code;
  }
  return 'unavailable';
}
