/**
 * A queue that runs at most `concurrency` tasks at once and lets at most `maxWaiting` more wait:
 * under a flood it refuses at once instead of growing, so the work it guards (argon2, tens of
 * ms of CPU and 19 MiB each) can neither take every thread nor pile up without end.
 */

/** The queue is full: the caller should be told to come back (503 with Retry-After), not kept waiting. */
export class QueueFullError extends Error {
  constructor() {
    super('the work queue is full');
    this.name = 'QueueFullError';
  }
}

export class BoundedQueue {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting for a turn. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Runs `task` when a turn is free (first come, first served), or rejects with `QueueFullError`
   * at once when `maxWaiting` tasks already wait.
   *
   * @example
   * ```ts
   * const argon2 = new BoundedQueue(1, 64);
   * const ok = await argon2.run(() => verify(phc, password));
   * ```
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running < this.concurrency) {
      this.#running++;
    } else {
      if (this.#waiting.length >= this.maxWaiting) throw new QueueFullError();
      // The finishing task hands its turn over directly, so `running` never drops between the two.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
