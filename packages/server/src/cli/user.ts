/** `keyturn user add`: creates a person who can sign in. */
import type { Command } from 'commander';
import { createUser } from '../domain/users.js';
import { CliError } from './lib/errors.js';
import { readStdin, storageOptions, withKeyturn } from './lib/context.js';

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage the people who can sign in');
  storageOptions(
    user
      .command('add')
      .description('add a user; the password is read from standard input')
      .requiredOption('--email <email>', 'email address to sign in with')
      .option('--password-stdin', 'read the password from standard input (required: never pass it as an argument)')
      .option('--name <name>', 'display name'),
  ).action(async (flags: { email: string; passwordStdin?: boolean; name?: string; database?: string; dataDir?: string }) => {
    if (!flags.passwordStdin) throw new CliError('give the password on standard input with --password-stdin', 2);
    const password = (await readStdin()).replace(/\r?\n$/, '');
    if (password === '') throw new CliError('no password on standard input', 2);
    const created = await withKeyturn(flags, (kt) => createUser(kt, { email: flags.email, password, name: flags.name ?? null }));
    process.stdout.write(`added user ${created.email} (id ${created.id})\n`);
  });
}
