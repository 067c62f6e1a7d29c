/** A bad server setting (flag or KEYTURN_* variable) as a usage error that says where to fix it. */
import { ConfigError, loadConfig, type ConfigFlags, type ServerConfig } from '../../config.js';
import { CliError } from './errors.js';

/** The setting's own message ("port must be …, not …") plus where to change it. */
export function fromConfigError(err: ConfigError): CliError {
  return new CliError(`${err.message}: fix the flag or its KEYTURN_* variable (see --help)`, 2);
}

/**
 * The configuration from flags and KEYTURN_* variables, or a usage error (exit 2) saying what to fix.
 *
 * @example
 * ```ts
 * const config = cliConfig(flags); // in a command's action
 * ```
 */
export function cliConfig(flags: ConfigFlags): ServerConfig {
  try {
    return loadConfig(flags);
  } catch (err) {
    if (err instanceof ConfigError) throw fromConfigError(err);
    throw err;
  }
}
