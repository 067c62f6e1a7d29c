/**
 * Picks the backend from one configuration string, as `--database` / `KEYTURN_DATABASE_URL` give it.
 */
import type { Repository } from './repository.js';

export interface OpenOptions {
  /**
   * Apply pending migrations on open (default). With `false` the schema is left as it is
   * (`keyturn migrate` applies them itself and says which); a database migrated by a newer
   * Keyturn is refused either way (`DatabaseNewerError`).
   */
  migrate?: boolean;
}

/**
 * Opens the repository `target` names: a `postgres://` or `postgresql://` URL is
 * PostgreSQL; anything else is a SQLite file path, optionally prefixed `sqlite:` or
 * `sqlite://` (`':memory:'` works too). Only the chosen driver is loaded.
 *
 * @example
 * ```ts
 * const repo = await openRepository(process.env.KEYTURN_DATABASE_URL ?? './data/keyturn.db');
 * ```
 */
export async function openRepository(target: string, options: OpenOptions = {}): Promise<Repository> {
  if (/^postgres(ql)?:\/\//i.test(target)) {
    const { createPostgresRepository } = await import('./postgres.js');
    return createPostgresRepository(target, options);
  }
  let path = target;
  if (/^sqlite:\/\//i.test(path)) path = path.slice('sqlite://'.length);
  else if (/^sqlite:/i.test(path)) path = path.slice('sqlite:'.length);
  if (path === '') throw new TypeError('database target names no SQLite file');
  const { createSqliteRepository } = await import('./sqlite.js');
  return createSqliteRepository(path, options);
}
