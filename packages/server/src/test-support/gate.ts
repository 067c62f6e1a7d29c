/** A task that runs until the test lets it finish: how tests hold a queue (the argon2 one) busy. */

export interface Gate<T> {
  /** The task: marks itself started, then waits for `open()`. */
  task(): Promise<T>;
  open(): void;
  readonly started: boolean;
}

/**
 * A gate whose task answers `value` once opened.
 *
 * @example
 * ```ts
 * const g = gate();
 * const held = kt.hashing.run(g.task); // the queue's one turn is taken
 * g.open();
 * await held;
 * ```
 */
export function gate<T = void>(value?: T): Gate<T> {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let started = false;
  return {
    task: async () => {
      started = true;
      await opened;
      return value as T;
    },
    open: () => open(),
    get started() {
      return started;
    },
  };
}
