/**
 * Calls made during one turn of the event loop, run together: on PostgreSQL each query is a round
 * trip that wakes a database backend, and under load the refresh grant spent more in those round
 * trips than in its statements (docs/PERFORMANCE.md); on SQLite each transaction's COMMIT appends
 * to the write-ahead log, once per transaction however many rows it changed. Nothing is cached:
 * every call is answered by statements sent after it was made, so it never sees older data than
 * statements of its own would.
 */
import { setImmediate } from 'node:timers';

/** Calls per batch at most; a turn with more runs several batches. */
export const MAX_BATCH = 100;

interface Call<I, O> {
  input: I;
  resolve(output: O | PromiseLike<O>): void;
  reject(error: unknown): void;
}

/**
 * A function whose calls of one event-loop turn are gathered and handed to `run` together (at most
 * `MAX_BATCH` at a time), after the poll phase: the requests whose bytes arrived in that turn have
 * all made theirs by then, and a lone call waits for nothing but the rest of its turn. `run`
 * answers one output per input, in order (a promise to settle that call on its own, if need be);
 * when it fails, every call of the batch fails with its error.
 *
 * @example
 * ```ts
 * const find = batchPerTurn(async (hashes: string[]) => { const rows = await selectIn(hashes); return hashes.map((h) => rows.get(h)); });
 * const row = await find(hash);
 * ```
 */
export function batchPerTurn<I, O>(run: (inputs: I[]) => Promise<readonly (O | PromiseLike<O>)[]>): (input: I) => Promise<O> {
  let pending: Call<I, O>[] = [];

  const send = (calls: Call<I, O>[]) => {
    // Through a promise, so that a `run` that throws before returning one fails its calls, not the process.
    new Promise<readonly (O | PromiseLike<O>)[]>((resolve) => resolve(run(calls.map((call) => call.input))))
      .then((outputs) => {
        if (outputs.length !== calls.length) throw new Error(`a batch of ${calls.length} answered ${outputs.length} outputs`);
        calls.forEach((call, i) => call.resolve(outputs[i]!));
      })
      .catch((error: unknown) => {
        for (const call of calls) call.reject(error);
      });
  };

  const flush = () => {
    const calls = pending;
    pending = [];
    for (let i = 0; i < calls.length; i += MAX_BATCH) send(calls.slice(i, i + MAX_BATCH));
  };

  return (input) =>
    new Promise<O>((resolve, reject) => {
      if (pending.push({ input, resolve, reject }) === 1) setImmediate(flush);
    });
}
