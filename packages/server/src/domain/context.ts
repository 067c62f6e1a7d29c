/** The domain's context: storage, configuration, keys and clock, created once per process. */
import type { ServerConfig } from '../config.js';
import type { AttemptCounter } from '../storage/attemptCounter.js';
import { createMemoryAttemptCounter } from '../storage/attempts/memory.js';
import { createRedisAttemptCounter } from '../storage/attempts/redis.js';
import { openRepository } from '../storage/open.js';
import type { Repository } from '../storage/repository.js';
import { KeyRing } from './keys.js';
import { deriveServerKeys, loadServerSecret, type ServerKeys } from './secrets.js';

export interface Keyturn {
  readonly config: ServerConfig;
  readonly repo: Repository;
  readonly keys: KeyRing;
  readonly secrets: ServerKeys;
  readonly attempts: AttemptCounter;
  /** Epoch ms; replaceable so tests can freeze time. */
  now(): number;
  close(): Promise<void>;
}

export interface ContextOptions {
  now?: () => number;
  /** Skip creating a signing key (management commands that do not sign). */
  skipKeys?: boolean;
}

export async function createKeyturn(config: ServerConfig, options: ContextOptions = {}): Promise<Keyturn> {
  const now = options.now ?? Date.now;
  const secret = await loadServerSecret(config.secret, config.dataDir);
  const secrets = deriveServerKeys(secret);
  const repo = await openRepository(config.database);
  let attempts: AttemptCounter;
  try {
    attempts = config.redisUrl ? await createRedisAttemptCounter(config.redisUrl, `${config.redisPrefix}login:`) : createMemoryAttemptCounter(100_000, now);
  } catch (err) {
    await repo.close();
    throw err;
  }
  const keys = new KeyRing(repo, secrets.keyEncryption, config.signingAlg, now, config.keyCacheSec * 1000);
  if (!options.skipKeys) {
    try {
      await keys.ensureActiveKey();
    } catch (err) {
      // e.g. a changed KEYTURN_SECRET: do not leave the database and Redis connections open.
      await attempts.close();
      await repo.close();
      throw err;
    }
  }
  return {
    config,
    repo,
    keys,
    secrets,
    attempts,
    now,
    async close() {
      await attempts.close();
      await repo.close();
    },
  };
}
