/**
 * Why a server (or a command) could not start, as one line for an operator: the driver's reason
 * and the flag to fix. No stack trace, no password.
 */
import type { ServerConfig } from '../../config.js';
import { MigrationError } from '../../storage/kysely/migrations.js';
import { DatabaseNewerError, ServiceUnavailableError } from '../../storage/errors.js';
import { CliError } from './errors.js';
import { withoutPassword } from './withoutPassword.js';

/**
 * A `CliError` for the failures an operator can fix (database or Redis unreachable or
 * misconfigured, a database newer than this Keyturn, a port in use), or null for others.
 *
 * @example
 * ```ts
 * throw explainStartFailure(err, config) ?? err;
 * ```
 */
export function explainStartFailure(err: unknown, config: ServerConfig): CliError | null {
  if (err instanceof ServiceUnavailableError && err.service === 'database') {
    return new CliError(`could not open the database ${withoutPassword(config.database)} (${err.reason}): check --database (env KEYTURN_DATABASE_URL) and that the database server is running`);
  }
  if (err instanceof ServiceUnavailableError) {
    return new CliError(`could not connect to Redis at ${withoutPassword(config.redisUrl ?? '')} (${err.reason}): check --redis (env KEYTURN_REDIS_URL) and that Redis is running`);
  }
  if (err instanceof DatabaseNewerError) {
    return new CliError(`${err.message}: run that newer Keyturn, or restore the backup taken before the upgrade (docs/OPERATING.md)`);
  }
  if (err instanceof MigrationError) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message.split('\n')[0]})` : '';
    return new CliError(`${err.message}${cause}: the database ${withoutPassword(config.database)} was left as it was; fix the cause and run keyturn migrate`);
  }
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e?.code === 'EADDRINUSE') {
    const metrics = config.metricsPort !== null && e.port === config.metricsPort;
    const flag = metrics ? '--metrics-port (env KEYTURN_METRICS_PORT)' : '--port (env KEYTURN_PORT)';
    const where = metrics ? `${config.metricsHost}:${config.metricsPort}` : `${config.host}:${config.port}`;
    return new CliError(`${where} is already in use (EADDRINUSE): stop what listens there, or choose another port with ${flag}`);
  }
  return null;
}
