/**
 * The composition root: opens storage, the attempt counter (Redis or memory), the server
 * secret and the signing keys, and hands them to the domain as one `Keyturn` context. The only
 * place that wires infrastructure; `serve` and every management command go through it.
 */
import type { ServerConfig } from './config.js';
import type { Keyturn } from './domain/context.js';
import { auditTrail } from './domain/audit/auditTrail.js';
import { KeyRing } from './domain/keys.js';
import { BoundedQueue } from './domain/lib/boundedQueue.js';
import { VerifiedSecrets } from './domain/lib/verifiedSecrets.js';
import { deriveServerKeys } from './domain/secrets.js';
import type { AttemptCounter } from './storage/attemptCounter.js';
import { createMemoryAttemptCounter } from './storage/attempts/memory.js';
import { createRedisAttemptCounter } from './storage/attempts/redis.js';
import { discardNewSecret, loadServerSecret, secretSource } from './serverSecret.js';
import { openRepository } from './storage/open.js';
import { assertDatabaseExists } from './storage/databaseExists.js';
import { KeyError } from './domain/errors.js';
import { createEventBus, withObservers, type EventBus } from './observability/eventBus.js';

export interface ContextOptions {
  now?: () => number;
  /** Skip creating a signing key (management commands that do not sign). */
  skipKeys?: boolean;
  /**
   * Refuse (`NoDatabaseError`) rather than create a database that is not there yet, before
   * anything is written (no secret file either): every command but `serve`.
   */
  mustExist?: boolean;
  /** Where the domain's security events go; the caller subscribes its listeners besides the audit trail (default: a bus nobody listens to yet). */
  events?: EventBus;
  /** Leave the schema as it is (`keyturn migrate` applies migrations itself). */
  skipMigrations?: boolean;
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
  if (options.mustExist) await assertDatabaseExists(config.database);
  const bus = options.events ?? createEventBus();
  const source = secretSource(config.secret, config.dataDir);
  const secrets = deriveServerKeys(await loadServerSecret(config.secret, config.dataDir));
  const opened: Array<{ close(): Promise<unknown> }> = [];
  const closeAll = async () => {
    for (const resource of [...opened].reverse()) await resource.close();
  };
  try {
    const repo = await openRepository(config.database, { migrate: !options.skipMigrations });
    opened.push(repo);
    // Every event is stored (when it is an audit record) and also handed to the bus's observers (metrics, log lines).
    const events = withObservers(auditTrail(repo, now), bus);
    const attempts: AttemptCounter = config.redisUrl
      ? await createRedisAttemptCounter(config.redisUrl, `${config.redisPrefix}login:`)
      : createMemoryAttemptCounter(100_000, now);
    opened.push(attempts);
    const keys = new KeyRing(repo, secrets.keyEncryption, config.signingAlg, now, config.keyCacheSec * 1000, events);
    if (!options.skipKeys) await keys.ensureActiveKey();
    const hashing = new BoundedQueue(config.hashConcurrency, config.hashQueueLength);
    return { config, repo, keys, secrets, attempts, verifiedSecrets: new VerifiedSecrets(now), hashing, events, now, close: closeAll, startedAt: now() };
  } catch (err) {
    await closeAll();
    if (source === 'none' && err instanceof KeyError && err.code === 'ERR_KEY_UNREADABLE') throw await noSecretGiven(config.dataDir);
    throw err;
  }
}

/**
 * The database's keys were sealed with a secret and none was given here (no KEYTURN_SECRET, no
 * secret file): say so, rather than that the secret changed, and drop the secret file just made.
 */
async function noSecretGiven(dataDir: string): Promise<KeyError> {
  const file = await discardNewSecret(dataDir);
  return new KeyError(
    'ERR_KEY_UNREADABLE',
    `no server secret was given (KEYTURN_SECRET is not set and there is no ${file}), and the signing keys in this database were sealed with one: set KEYTURN_SECRET to the secret the servers of this database use`,
  );
}
