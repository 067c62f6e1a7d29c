/**
 * What the domain is handed: storage, configuration, keys, counters, caches and the clock.
 * The composition root (`../compose.ts`) builds it once per process; the domain itself never
 * opens a database, a socket or a file.
 */
import type { ServerConfig } from '../config.js';
import type { Repository } from '../storage/repository.js';
import type { KeyRing } from './keys.js';
import type { BoundedQueue } from './lib/boundedQueue.js';
import type { VerifiedSecrets } from './lib/verifiedSecrets.js';
import type { ServerKeys } from './secrets.js';
import type { AttemptCounter } from '../storage/attemptCounter.js';

export interface Keyturn {
  readonly config: ServerConfig;
  readonly repo: Repository;
  readonly keys: KeyRing;
  readonly secrets: ServerKeys;
  readonly attempts: AttemptCounter;
  /** Client secrets verified lately, so argon2 runs once per client and secret rather than once per request. */
  readonly verifiedSecrets: VerifiedSecrets;
  /** The queue every argon2 hash and check waits in (`passwords.ts`): `hashConcurrency` at once, `hashQueueLength` waiting. */
  readonly hashing: BoundedQueue;
  /** Epoch ms; replaceable so tests can freeze time. */
  now(): number;
  /** Epoch ms when this context was built: this process has been able to answer since then (see tokens/rotateRefreshToken.ts). */
  readonly startedAt: number;
  close(): Promise<void>;
}
