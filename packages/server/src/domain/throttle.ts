/**
 * The throttling rule: count an attempt before the check it guards, refuse once locked. The
 * counters themselves (memory, Redis) live behind `AttemptCounter` in storage.
 */
import type { AttemptCounter } from '../storage/attemptCounter.js';

/**
 * Counts one attempt under every key BEFORE the check it guards, and answers the highest count,
 * or `null` when the caller must be refused: already at `lockAfter` (then nothing is counted, so
 * a locked-out flood creates no counter keys; the in-memory counter is bounded and would evict
 * other keys, a victim's among them), or past it once counted. Counting first matters: only
 * checking a count and raising it after a failure let concurrent guesses all pass a count none
 * of them had raised yet (40 parallel sign-in guesses got 33 answers with a lock after 5).
 * A success takes its hit back with `undo` or `reset`.
 */
export async function countAttempt(counter: AttemptCounter, keys: string[], lockAfter: number, windowMs: number): Promise<number | null> {
  const seen = await Promise.all(keys.map((key) => counter.peek(key)));
  if (Math.max(...seen) >= lockAfter) return null;
  const counts = await Promise.all(keys.map((key) => counter.hit(key, windowMs)));
  const attempts = Math.max(...counts);
  return attempts > lockAfter ? null : attempts;
}
