/** `keyturn user add|list|show`: the people who can sign in (disable, enable, remove and set-password are in `userAccess.ts`). */
import type { Command } from 'commander';
import { findPerson } from '../domain/people/findPerson.js';
import { createUser } from '../domain/users.js';
import { counted, isoDate } from './lib/format.js';
import { printTable } from './lib/printTable.js';
import { readPassword } from './lib/readPassword.js';
import { refuseSecretFlag } from './lib/refuseSecretFlag.js';
import { storageOptions } from './lib/storageOptions.js';
import { withKeyturn } from './lib/withKeyturn.js';
import { registerUserAccess } from './userAccess.js';

interface StorageFlags {
  database?: string;
  dataDir?: string;
}

interface AddFlags extends StorageFlags {
  email: string;
  passwordStdin?: boolean;
  name?: string;
}

const PIPE_EXAMPLE = `printf '%s' "$PASSWORD" | keyturn user add --email E --password-stdin`;
/** Where the operator looks a person up. */
const FIND_ADVICE = { ERR_NOT_FOUND: 'check the email with keyturn user list' } as const;

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
    const password = await readPassword(flags.passwordStdin, PIPE_EXAMPLE);
    const created = await withKeyturn(flags, (kt) => createUser(kt, { email: flags.email, password, name: flags.name ?? null }), {
      advice: {
        ERR_DUPLICATE: 'that person can already sign in; give another --email to add someone else',
        ERR_INVALID: 'correct it and run keyturn user add again',
      },
    });
    process.stdout.write(`added user ${created.email} (id ${created.id})\n`);
  });

  storageOptions(user.command('list').description('list the people who can sign in, and those disabled').option('--json', 'one JSON array of { id, email, status, createdAt }')).action(
    async (flags: StorageFlags & { json?: boolean }) => {
      const people = await withKeyturn(flags, (kt) => kt.repo.listUsers());
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(people.map((p) => ({ id: p.id, email: p.email, status: p.status, createdAt: new Date(p.createdAt).toISOString() })))}\n`);
        return;
      }
      printTable(['EMAIL', 'STATUS', 'NAME', 'CREATED', 'ID'], people.map((p) => [p.email, p.status, p.name ?? '-', isoDate(p.createdAt), p.id]));
    },
  );

  storageOptions(user.command('show').description("one person: status, where they are signed in, their last sign-in").argument('<email>', 'their email')).action(
    async (email: string, flags: StorageFlags) => {
      const shown = await withKeyturn(
        flags,
        async (kt) => {
          const person = await findPerson(kt, email);
          const now = kt.now();
          const [grants, browsers, events] = await Promise.all([
            kt.repo.listActiveGrantsForUser(person.id, now),
            kt.repo.listActiveSsoSessionsForUser(person.id, now),
            kt.repo.listAuditEvents({ userId: person.id, newestFirst: true, limit: 200 }),
          ]);
          const lastSignIn = events.find((e) => e.type === 'signin.succeeded');
          return { person, grants, browsers, lastSignIn };
        },
        { advice: FIND_ADVICE },
      );
      const { person, grants, browsers, lastSignIn } = shown;
      const apps = [...new Set(grants.map((g) => g.clientId))];
      printTable(['FIELD', 'VALUE'], [
        ['email', person.email],
        ['id', person.id],
        ['name', person.name ?? '-'],
        ['status', person.status],
        ['created', isoDate(person.createdAt)],
        ['last sign-in', lastSignIn ? `${isoDate(lastSignIn.time)} from ${lastSignIn.address ?? 'an unknown address'}` : '-'],
        ['browsers', `${counted(browsers.length, 'browser')} signed in`],
        ['apps', `${counted(grants.length, 'live grant')}${apps.length > 0 ? ` (${apps.join(', ')})` : ''}`],
      ]);
    },
  );

  registerUserAccess(user);
}
