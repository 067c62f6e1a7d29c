/** One HTTP exchange with a time limit, turning transport failures into typed errors. */
import type { RequestOptions } from '../exchange/types.js';
import { NetworkError, TimeoutError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS } from './constants.js';

/**
 * Calls `fetch` with `options.timeoutMs` and `options.signal` combined. A caller's abort is
 * rethrown as its own reason; the time limit becomes `TimeoutError`; anything else that keeps
 * an answer from arriving becomes `NetworkError` (with the original as `cause`).
 */
export async function send(url: string, init: RequestInit, options: RequestOptions = {}): Promise<Response> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const host = safeOrigin(url);
  try {
    return await doFetch(url, { ...init, signal });
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new TimeoutError(`no answer from ${host} within ${timeoutMs} ms`, {}, { cause: err });
    }
    throw new NetworkError(`could not reach ${host}: ${describe(err)}`, {}, { cause: err });
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the server';
  }
}

function describe(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return cause instanceof Error ? cause.message : 'request failed';
}
