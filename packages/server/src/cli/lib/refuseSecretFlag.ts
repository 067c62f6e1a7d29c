/** A hidden flag that turns `--password x` into a pointer to `--password-stdin`, not a bare "unknown option". */
import { Option, type Command } from 'commander';
import { CliError } from './errors.js';

/**
 * Adds `flag` (hidden from --help) that always fails, naming `stdinFlag`: a secret in argv is
 * visible to every local user in the process list and stays in shell history.
 */
export function refuseSecretFlag(cmd: Command, flag: string, stdinFlag: string, what: string): Command {
  const refuse = (): never => {
    throw new CliError(`unknown option ${flag}: pass ${what} on standard input with ${stdinFlag}`, 2);
  };
  // preset: the parser runs even for a bare `--password`, so the advice comes before anything else.
  return cmd.addOption(new Option(`${flag} [value]`).hideHelp().preset('').argParser(refuse));
}
