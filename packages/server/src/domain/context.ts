/**
 * What the domain is handed: storage, configuration, keys, counters, caches and the clock.
 * The composition root (`../compose.ts`) builds it once per process; the domain itself never
 * opens a database, a socket or a file.
 */
import type { ServerConfig } from '../config.js';
import type { Repository } from '../storage/repository.js';
import type { KeyRing } from './keys.js';
import type { VerifiedSecrets } from './lib/verifiedSecrets.js';
import type { ServerKeys } from './secrets.js';
import type { AttemptCounter } from '../storage/attemptCounter.js';
import type { SecurityEvents } from './events.js';

export interface Keyturn {
  readonly config: ServerConfig;
  readonly repo: Repository;
  readonly keys: KeyRing;
  readonly secrets: ServerKeys;
  readonly attempts: AttemptCounter;
  /** Client secrets verified lately, so argon2 runs once per client and secret rather than once per request. */
  readonly verifiedSecrets: VerifiedSecrets;
  /** Where security events go (metrics, warn log lines, the audit trail listen at the edge). */
  readonly events: SecurityEvents;
  /** Epoch ms; replaceable so tests can freeze time. */
  now(): number;
  close(): Promise<void>;
}
