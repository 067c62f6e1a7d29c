/**
 * Telling "the service is down" apart from every other driver error, so that callers answer
 * 503 + Retry-After (and recover when it is back) instead of a 500.
 */
import { ServiceUnavailableError } from '../errors.js';

/** Socket-level failures: the service is not there, or the connection to it broke. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** PostgreSQL SQLSTATEs that mean the server cannot serve now (connection exception, shutdown, too many connections). */
const POSTGRES_DOWN = /^(08...|57P0[1-3]|53300)$/;

/** pg's and ioredis's own words for a connection that broke or never came (these carry no code). */
const DOWN_MESSAGE = /connection terminated|timeout exceeded when trying to connect|connection timeout|not queryable|connection is closed|max retries per request|stream isn't writeable/i;

/**
 * The driver's reason in a few words, as an operator would search for it: the system code and
 * address (`ECONNREFUSED 127.0.0.1:1`) or the server's message (`database "x" does not exist`).
 *
 * @example
 * ```ts
 * driverReason(err); // 'ECONNREFUSED 127.0.0.1:5432'
 * ```
 */
export function driverReason(err: unknown): string {
  const e = err as (Error & { code?: unknown; address?: unknown; port?: unknown; errors?: unknown[] }) | null;
  if (!e || typeof e !== 'object') return String(err);
  // Node reports a refused dual-stack connection as an AggregateError of one error per address.
  if (Array.isArray(e.errors) && e.errors.length > 0) return driverReason(e.errors[0]);
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
    return typeof e.address === 'string' ? `${e.code} ${e.address}${typeof e.port === 'number' ? `:${e.port}` : ''}` : e.code;
  }
  return (e.message || e.name || 'unknown error').split('\n')[0]!.slice(0, 200);
}

/**
 * True when `err` says the service is down or unreachable rather than that the request was wrong.
 *
 * @example
 * ```ts
 * if (isUnavailable(err)) throw new ServiceUnavailableError('database', driverReason(err), { cause: err });
 * ```
 */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof ServiceUnavailableError) return true;
  const e = err as (Error & { code?: unknown; errors?: unknown[] }) | null;
  if (!e || typeof e !== 'object') return false;
  if (Array.isArray(e.errors) && e.errors.some(isUnavailable)) return true;
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || POSTGRES_DOWN.test(e.code))) return true;
  return typeof e.message === 'string' && DOWN_MESSAGE.test(e.message);
}

/**
 * Wraps every method of `target` so that an unavailability error becomes a
 * `ServiceUnavailableError` for `service`; other errors pass unchanged.
 *
 * @example
 * ```ts
 * const repo = guardUnavailable(createKyselyRepository(db, 'postgres'), 'database');
 * ```
 */
export function guardUnavailable<T extends object>(target: T, service: ServiceUnavailableError['service']): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    guarded[name] =
      typeof value === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => unknown).apply(target, args);
            } catch (err) {
              if (isUnavailable(err) && !(err instanceof ServiceUnavailableError)) throw new ServiceUnavailableError(service, driverReason(err), { cause: err });
              throw err;
            }
          }
        : value;
  }
  return guarded as T;
}
