/** Dynamic import of an optional peer dependency, with a typed error naming the package to install. */
import { StoreError } from '../../vault/errors.js';

/**
 * Imports `specifier` (a CommonJS driver's `default` is unwrapped) or throws `ERR_STORE_DEPENDENCY_MISSING`.
 *
 * @example
 * ```ts
 * const pg = await loadDriver<typeof import('pg')>('pg', () => import('pg'));
 * ```
 */
export async function loadDriver<T>(specifier: string, load: () => Promise<unknown>): Promise<T> {
  let mod: unknown;
  try {
    mod = await load();
  } catch (cause) {
    throw new StoreError(
      'ERR_STORE_DEPENDENCY_MISSING',
      `This store needs the optional peer dependency ${specifier} (npm install ${specifier})`,
      { cause },
    );
  }
  const record = mod as { default?: unknown };
  return (record.default ?? mod) as T;
}
