/**
 * Whether a Keyturn database is already there, asked before opening one: opening creates a
 * missing SQLite file and migrates an empty PostgreSQL database, which only `serve` may do.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { NoDatabaseError } from './errors.js';

const POSTGRES = /^postgres(ql)?:\/\//i;
const sqlitePath = (target: string): string => target.replace(/^sqlite:(\/\/)?/i, '');

/**
 * Where `target` (as `--database` gives it) points, fit to print: the absolute SQLite path, or
 * the PostgreSQL URL without its password.
 *
 * @example
 * ```ts
 * describeDatabase('postgres://kt:pw@db:5432/keyturn'); // 'postgres://kt@db:5432/keyturn'
 * ```
 */
export function describeDatabase(target: string): string {
  if (!POSTGRES.test(target)) return resolve(sqlitePath(target));
  try {
    const url = new URL(target);
    url.password = '';
    return url.toString();
  } catch {
    return 'the PostgreSQL URL given';
  }
}

async function hasKeyturnTables(url: string): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ present: boolean }>("select to_regclass('users') is not null and to_regclass('signing_keys') is not null as present");
    return rows[0]?.present === true;
  } finally {
    await client.end();
  }
}

/**
 * Throws `NoDatabaseError` unless `target` names an existing Keyturn database: a non-empty
 * SQLite file, or a PostgreSQL database that has Keyturn's tables. A PostgreSQL server that
 * cannot be reached or refuses the login throws the driver's own error.
 *
 * @example
 * ```ts
 * await assertDatabaseExists(config.database); // before openRepository, in a management command
 * ```
 */
export async function assertDatabaseExists(target: string): Promise<void> {
  if (POSTGRES.test(target)) {
    if (!(await hasKeyturnTables(target))) throw new NoDatabaseError(describeDatabase(target));
    return;
  }
  const path = sqlitePath(target);
  if (path === ':memory:') return;
  const file = await stat(resolve(path)).catch(() => null);
  if (file === null || !file.isFile() || file.size === 0) throw new NoDatabaseError(describeDatabase(target));
}
