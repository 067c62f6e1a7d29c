/** The reason an operator reads when the database or Redis is away: the driver's words, in short. */

/** Socket-level failures, reported with the address they concern. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

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
