/** Which driver errors mean "the backing service cannot answer now" rather than "this request is wrong". */

/** Socket-level failures: the service is down, unreachable, or dropped the connection. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), class 53 (insufficient resources: too
 * many connections, disk full, out of memory), 57P01–57P03 (shut down by an administrator, crash,
 * cannot connect now). Not 40001/40P01: those are a transaction's conflict, not an outage.
 */
const PG_STATE = /^(08...|53...|57P0[123])$/;

/** SQLite: another connection holds the lock past busy_timeout. */
const SQLITE_CODE = /^SQLITE_(BUSY|LOCKED)(_|$)/;

/** Messages of pg, pg-pool and ioredis that carry no code. */
const MESSAGES = [
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Query read timeout$/,
  /^Connection is closed\.$/,
  /^Stream isn't writeable and enableOfflineQueue options is false$/,
  /^Command timed out$/,
];

/**
 * True when `err` (or an error it wraps as `cause`, or, for a Redis transaction, one of its
 * `previousErrors`, or one of an AggregateError's `errors`) says that the database or Redis is unavailable.
 *
 * @example
 * ```ts
 * try { await pool.query('select 1'); } catch (err) { if (isUnavailable(err)) answer503(); }
 * ```
 */
export function isUnavailable(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 4) return false;
  const { code, previousErrors, errors } = err as Error & { code?: unknown; previousErrors?: unknown; errors?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || PG_STATE.test(code) || SQLITE_CODE.test(code))) return true;
  if (err.name === 'MaxRetriesPerRequestError' || MESSAGES.some((m) => m.test(err.message))) return true;
  if (Array.isArray(previousErrors) && previousErrors.some((e) => isUnavailable(e, depth + 1))) return true;
  // Node reports a refused dual-stack connection as an AggregateError of one error per address.
  if (Array.isArray(errors) && errors.some((e) => isUnavailable(e, depth + 1))) return true;
  return isUnavailable(err.cause, depth + 1);
}
