/** Turns a driver's "service unavailable" failures into one error the HTTP layer can answer 503 to. */
import { ServiceUnavailableError, type BackingService } from '../errors.js';
import { isUnavailable } from './isUnavailable.js';

/**
 * A copy of `target` whose async methods rethrow a driver error that means unavailability
 * (see `isUnavailable`) as `ServiceUnavailableError(service)`; every other error passes
 * unchanged. Non-function properties are copied as they are.
 *
 * @example
 * ```ts
 * const repo = guardUnavailable(createKyselyRepository(db, 'postgres'), 'database');
 * await repo.getClient('app'); // throws ServiceUnavailableError when PostgreSQL is down
 * ```
 */
export function guardUnavailable<T extends object>(target: T, service: BackingService): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    guarded[name] =
      typeof value === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            } catch (err) {
              throw isUnavailable(err) ? new ServiceUnavailableError(service, { cause: err }) : err;
            }
          }
        : value;
  }
  return guarded as T;
}
