/** Entry point of the `keyturn` command: builds the commander program and maps errors to exit codes. */
import { Command, CommanderError } from 'commander';
import { CliError } from './lib/errors.js';
import { packageVersion } from './lib/packageVersion.js';
import { registerServe } from './serve.js';
import { registerUser } from './user.js';
import { registerClient } from './client.js';
import { registerKeys } from './keys.js';
import { registerGc } from './gc.js';
import { registerLogin } from './login.js';
import { registerToken } from './token.js';
import { registerStatus } from './status.js';
import { registerAudit } from './audit.js';
import { registerMigrate } from './migrate.js';

/** Each command lives in its own file and adds itself to the program. */
const registrations: Array<(program: Command) => void> = [
  registerServe,
  registerUser,
  registerClient,
  registerKeys,
  registerGc,
  registerLogin,
  registerToken,
  registerStatus,
  registerAudit,
  registerMigrate,
];

export function buildProgram(): Command {
  const program = new Command('keyturn')
    .description('Keyturn: sign-in, access tokens and refresh tokens done right.')
    .version(packageVersion(), '-V, --version', 'print the version of keyturn')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of registrations) register(program);
  // Subcommands inherit the behaviour so that bad flags anywhere exit 2.
  for (const cmd of program.commands) applyRecursively(cmd);
  return program;
}

function applyRecursively(cmd: Command): void {
  cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
  for (const sub of cmd.commands) applyRecursively(sub);
}

/** Runs the command line; resolves to the process exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      // commander already printed the message; usage errors are exit 2 by convention.
      return 2;
    }
    if (err instanceof CliError) {
      process.stderr.write(`keyturn: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`keyturn: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
