/** `keyturn user add`: creates a person who can sign in. */
import type { Command } from 'commander';
import { createUser } from '../domain/users.js';
import { CliError } from './lib/errors.js';
import { readStdin } from './lib/readStdin.js';
import { refuseSecretFlag } from './lib/refuseSecretFlag.js';
import { storageOptions } from './lib/storageOptions.js';
import { withKeyturn } from './lib/withKeyturn.js';

interface AddFlags {
  email: string;
  passwordStdin?: boolean;
  name?: string;
  database?: string;
  dataDir?: string;
}

const PIPE_EXAMPLE = `printf '%s' "$PASSWORD" | keyturn user add --email E --password-stdin`;

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage the people who can sign in');
  const add = storageOptions(
    user
      .command('add')
      .description('add a user; the password is read from standard input')
      .requiredOption('--email <email>', 'email address to sign in with')
      .option('--password-stdin', 'read the password from standard input (required: never pass it as an argument)')
      .option('--name <name>', 'display name'),
  );
  refuseSecretFlag(add, '--password', '--password-stdin', 'the password').action(async (flags: AddFlags) => {
    if (!flags.passwordStdin) throw new CliError(`no password given: give the password on standard input with --password-stdin, e.g. ${PIPE_EXAMPLE}`, 2);
    const password = (await readStdin()).replace(/\r?\n$/, '');
    if (password === '') throw new CliError(`no password on standard input: pipe it in, e.g. ${PIPE_EXAMPLE}`, 2);
    const created = await withKeyturn(flags, (kt) => createUser(kt, { email: flags.email, password, name: flags.name ?? null }), {
      advice: {
        ERR_DUPLICATE: 'that person can already sign in; give another --email to add someone else',
        ERR_INVALID: 'correct it and run keyturn user add again',
      },
    });
    process.stdout.write(`added user ${created.email} (id ${created.id})\n`);
  });
}
