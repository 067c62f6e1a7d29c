/**
 * The composition root: opens storage, the attempt counter (Redis or memory), the server
 * secret and the signing keys, and hands them to the domain as one `Keyturn` context. The only
 * place that wires infrastructure; `serve` and every management command go through it.
 */
import type { ServerConfig } from './config.js';
import type { Keyturn } from './domain/context.js';
import { KeyRing } from './domain/keys.js';
import { BoundedQueue } from './domain/lib/boundedQueue.js';
import { VerifiedSecrets } from './domain/lib/verifiedSecrets.js';
import { deriveServerKeys } from './domain/secrets.js';
import type { AttemptCounter } from './storage/attemptCounter.js';
import { createMemoryAttemptCounter } from './storage/attempts/memory.js';
import { createRedisAttemptCounter } from './storage/attempts/redis.js';
import { loadServerSecret } from './serverSecret.js';
import { openRepository } from './storage/open.js';

export interface ContextOptions {
  now?: () => number;
  /** Skip creating a signing key (management commands that do not sign). */
  skipKeys?: boolean;
}

/**
 * Builds the domain context for `config`. Whatever it opened is closed again when a later
 * step fails (a changed KEYTURN_SECRET, Redis refusing), so a failed start leaks nothing.
 *
 * @example
 * ```ts
 * const kt = await createKeyturn(loadConfig({ database: './data/keyturn.db' }));
 * try { console.log(await kt.repo.listClients()); } finally { await kt.close(); }
 * ```
 */
export async function createKeyturn(config: ServerConfig, options: ContextOptions = {}): Promise<Keyturn> {
  const now = options.now ?? Date.now;
  const secrets = deriveServerKeys(await loadServerSecret(config.secret, config.dataDir));
  const opened: Array<{ close(): Promise<unknown> }> = [];
  const closeAll = async () => {
    for (const resource of [...opened].reverse()) await resource.close();
  };
  try {
    const repo = await openRepository(config.database);
    opened.push(repo);
    const attempts: AttemptCounter = config.redisUrl
      ? await createRedisAttemptCounter(config.redisUrl, `${config.redisPrefix}login:`)
      : createMemoryAttemptCounter(100_000, now);
    opened.push(attempts);
    const keys = new KeyRing(repo, secrets.keyEncryption, config.signingAlg, now, config.keyCacheSec * 1000);
    if (!options.skipKeys) await keys.ensureActiveKey();
    const hashing = new BoundedQueue(config.hashConcurrency, config.hashQueueLength);
    return { config, repo, keys, secrets, attempts, verifiedSecrets: new VerifiedSecrets(now), hashing, now, close: closeAll, startedAt: now() };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
