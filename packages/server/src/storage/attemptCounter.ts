/**
 * The contract of an attempt counter: failures counted per key inside a window, shared by
 * every process when it lives in Redis. Implementations: `./attempts/memory.ts`,
 * `./attempts/redis.ts`; the rule that uses them is `countAttempt` in `../domain/throttle.ts`.
 */

export interface AttemptCounter {
  /**
   * Adds one failure under `key` and returns the count inside the current window. The window
   * starts at the first hit and is not extended by later ones. Throws `ServiceUnavailableError`
   * when it cannot count: an attempt it did not count must not run.
   */
  hit(key: string, windowMs: number): Promise<number>;
  /** Current count without adding. */
  peek(key: string): Promise<number>;
  /** Takes back one hit: an attempt counted up front that turned out not to be a failure. Never below zero. */
  undo(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  /** Resolves when the backing store answers (readiness probe); the in-memory counter always does. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
