/** A bad server setting (flag or KEYTURN_* variable) as a usage error that says where to fix it. */
import type { ConfigError } from '../../config.js';
import { CliError } from './errors.js';

/** The setting's own message ("port must be …, not …") plus where to change it. */
export function fromConfigError(err: ConfigError): CliError {
  return new CliError(`${err.message}: fix the flag or its KEYTURN_* variable (see --help)`, 2);
}
