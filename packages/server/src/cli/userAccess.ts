/** `keyturn user disable|enable|remove|set-password`: ending a person's access, at once and on every server process. */
import type { Command } from 'commander';
import type { RevokedAll } from '../domain/account.js';
import { disablePerson } from '../domain/people/disablePerson.js';
import { enablePerson } from '../domain/people/enablePerson.js';
import { removePerson } from '../domain/people/removePerson.js';
import { setPassword } from '../domain/people/setPassword.js';
import { counted } from './lib/format.js';
import { readPassword } from './lib/readPassword.js';
import { refuseSecretFlag } from './lib/refuseSecretFlag.js';
import { storageOptions } from './lib/storageOptions.js';
import { withKeyturn } from './lib/withKeyturn.js';

interface StorageFlags {
  database?: string;
  dataDir?: string;
}

const FIND_ADVICE = { ERR_NOT_FOUND: 'check the email with keyturn user list' } as const;
const PIPE_EXAMPLE = `printf '%s' "$PASSWORD" | keyturn user set-password EMAIL --password-stdin`;

function ended({ apps, browsers }: RevokedAll): string {
  return `${counted(apps, 'app')} and ${counted(browsers, 'browser')} signed out`;
}

export function registerUserAccess(user: Command): void {
  storageOptions(
    user.command('disable').description('stop a person signing in, and sign them out of every app and browser at once').argument('<email>', 'their email'),
  ).action(async (email: string, flags: StorageFlags) => {
    const done = await withKeyturn(flags, (kt) => disablePerson(kt, email), { advice: FIND_ADVICE });
    process.stdout.write(`disabled ${done.user.email}: ${ended(done)}; keyturn user enable ${done.user.email} lets them sign in again\n`);
  });

  storageOptions(user.command('enable').description('let a disabled person sign in again').argument('<email>', 'their email')).action(
    async (email: string, flags: StorageFlags) => {
      const enabled = await withKeyturn(flags, (kt) => enablePerson(kt, email), { advice: FIND_ADVICE });
      process.stdout.write(`enabled ${enabled.email}: they can sign in again\n`);
    },
  );

  storageOptions(
    user.command('remove').description('delete a person with their sessions and grants (their audit trail stays)').argument('<email>', 'their email'),
  ).action(async (email: string, flags: StorageFlags) => {
    const removed = await withKeyturn(flags, (kt) => removePerson(kt, email), { advice: FIND_ADVICE });
    process.stdout.write(`removed ${removed.email} with their sessions and grants\n`);
  });

  const setPasswordCommand = storageOptions(
    user
      .command('set-password')
      .description('give a person a new password, read from standard input, and sign them out everywhere')
      .argument('<email>', 'their email')
      .option('--password-stdin', 'read the new password from standard input (required: never pass it as an argument)'),
  );
  refuseSecretFlag(setPasswordCommand, '--password', '--password-stdin', 'the password').action(
    async (email: string, flags: StorageFlags & { passwordStdin?: boolean }) => {
      const password = await readPassword(flags.passwordStdin, PIPE_EXAMPLE);
      const done = await withKeyturn(flags, (kt) => setPassword(kt, email, password), {
        advice: { ...FIND_ADVICE, ERR_INVALID: 'pick another and run keyturn user set-password again' },
      });
      process.stdout.write(`new password set for ${done.user.email}: ${ended(done)}\n`);
    },
  );
}
