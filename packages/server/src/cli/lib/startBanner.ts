/**
 * What `keyturn serve` says once it listens: a JSON log line with the facts as fields (always),
 * and a few lines for a person at a terminal (only when stderr is one).
 */
import path from 'node:path';
import { withoutPassword } from './withoutPassword.js';

export interface StartInfo {
  url: string;
  issuer: string;
  /** The database target as configured (SQLite path or postgres:// URL). */
  database: string;
  /** How many people can sign in (-1: unknown, the database did not say). */
  people: number;
  metricsUrl: string | null;
  /** The database a plain `keyturn user add` run here would open (./data/keyturn.db). */
  defaultDatabase?: string;
}

/**
 * The fields of the start log line. The database is named without its password.
 *
 * @example
 * ```ts
 * app.log.info(startFields(info), `Keyturn is listening on ${info.url}`);
 * ```
 */
export function startFields(info: StartInfo): Record<string, unknown> {
  return {
    url: info.url,
    issuer: info.issuer,
    database: withoutPassword(info.database),
    people: info.people,
    signIn: `${info.issuer}/signin`,
    ...(info.metricsUrl ? { metrics: `${info.metricsUrl}/metrics` } : {}),
  };
}

/**
 * The human banner. "No account yet?" only when nobody can sign in; the `user add` hint names
 * `--database` when a plain run would open another database (PostgreSQL, another folder), with
 * a placeholder instead of a password.
 *
 * @example
 * ```ts
 * if (process.stderr.isTTY) process.stderr.write(startBanner(info));
 * ```
 */
export function startBanner(info: StartInfo): string {
  const postgres = /^postgres(ql)?:\/\//i.test(info.database);
  const defaultDatabase = info.defaultDatabase ?? path.resolve('data', 'keyturn.db');
  const lines = [`Keyturn is listening on ${info.url} (issuer ${info.issuer}, database ${postgres ? withoutPassword(info.database) : info.database}).`];
  if (info.people === 0) {
    const database = postgres || path.resolve(info.database) !== defaultDatabase ? ` --database ${shellQuote(withoutPassword(info.database, '<password>'))}` : '';
    lines.push(
      `Sign in at ${info.issuer}/signin. No account yet? Create one:`,
      `  printf '%s' 'a-long-password' | npx --no-install keyturn user add --email you@example.com --password-stdin${database}`,
    );
  } else if (info.people < 0) {
    lines.push(`Sign in at ${info.issuer}/signin.`);
  } else {
    lines.push(`Sign in at ${info.issuer}/signin (${info.people} ${info.people === 1 ? 'person' : 'people'} can).`);
  }
  lines.push(`Discovery: ${info.issuer}/.well-known/openid-configuration`);
  if (info.metricsUrl) lines.push(`Metrics: ${info.metricsUrl}/metrics`);
  return `${lines.join('\n')}\n`;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
