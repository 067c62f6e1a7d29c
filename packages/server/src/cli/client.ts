/** `keyturn client add|list|remove`: the applications allowed to ask for tokens. */
import type { Command } from 'commander';
import { addClient, removeClient } from '../domain/clients.js';
import { shortGrantType } from '../domain/grantTypes.js';
import { CliError } from './lib/errors.js';
import { isoDate } from './lib/format.js';
import { printTable } from './lib/printTable.js';
import { storageOptions } from './lib/storageOptions.js';
import { withKeyturn } from './lib/withKeyturn.js';

interface AddFlags {
  id: string;
  secret?: string;
  public?: boolean;
  redirectUri: string[];
  scope?: string;
  refreshPolicy?: string;
  refreshTtl?: string;
  refreshIdleTtl?: string;
  name?: string;
  grantTypes?: string;
  database?: string;
  dataDir?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function seconds(value: string | undefined, flag: string): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`${flag} must be a whole number of seconds, not "${value}"`, 2);
  return n;
}

export function registerClient(program: Command): void {
  const client = program.command('client').description('manage OAuth clients');
  storageOptions(
    client
      .command('add')
      .description('register a client; prints a generated secret once when --secret and --public are both absent')
      .requiredOption('--id <id>', 'client id')
      .option('--secret <secret>', 'client secret of a confidential client (at least 16 characters)')
      .option('--public', 'a public client (no secret; must use PKCE and the rotate policy)')
      .requiredOption('--redirect-uri <uri>', 'registered redirect URI, matched exactly; repeat for more', collect)
      .option('--scope <scope>', 'space-separated scopes the client may ask for', 'openid profile email offline_access')
      .option('--refresh-policy <policy>', 'reuse (same refresh token back) or rotate (new one each time)')
      .option('--refresh-ttl <seconds>', 'absolute refresh token lifetime (default: the server\'s, 60 days)')
      .option('--refresh-idle-ttl <seconds>', 'refresh token expires after this long unused (default: never)')
      .option('--name <name>', 'display name shown on the account page')
      .option('--grant-types <list>', 'comma-separated grants it may use: authorization_code, refresh_token, device_code (or the full URN); default authorization_code,refresh_token'),
  ).action(async (flags: AddFlags) => {
    if (flags.public && flags.secret !== undefined) throw new CliError('--public and --secret exclude each other: a public client has no secret, so drop one of them', 2);
    if (flags.refreshPolicy !== undefined && flags.refreshPolicy !== 'reuse' && flags.refreshPolicy !== 'rotate') {
      throw new CliError(`--refresh-policy must be reuse or rotate, not "${flags.refreshPolicy}"`, 2);
    }
    const refreshTtlSec = seconds(flags.refreshTtl, '--refresh-ttl');
    const refreshIdleTtlSec = seconds(flags.refreshIdleTtl, '--refresh-idle-ttl');
    const { client: record, secret } = await withKeyturn(flags, (kt) =>
      addClient(kt, {
        id: flags.id,
        secret: flags.secret,
        public: flags.public === true,
        redirectUris: flags.redirectUri,
        scope: flags.scope,
        refreshPolicy: flags.refreshPolicy as 'reuse' | 'rotate' | undefined,
        name: flags.name ?? null,
        refreshTtlSec,
        refreshIdleTtlSec,
        grantTypes: flags.grantTypes?.split(','),
      }),
      {
        advice: {
          ERR_DUPLICATE: `pick another --id, or remove it first (keyturn client remove ${flags.id}) and add it again`,
          ERR_INVALID: 'correct it and run keyturn client add again (keyturn client add --help lists the rules)',
        },
      },
    );
    process.stdout.write(`added ${record.secretHash === null ? 'public' : 'confidential'} client ${record.id} (refresh policy ${record.refreshPolicy})\n`);
    if (secret) process.stdout.write(`client secret (shown once, store it now): ${secret}\n`);
  });

  storageOptions(client.command('list').description('list registered clients')).action(async (flags: { database?: string; dataDir?: string }) => {
    const clients = await withKeyturn(flags, (kt) => kt.repo.listClients());
    printTable(
      ['ID', 'TYPE', 'POLICY', 'SCOPE', 'REDIRECT URIS', 'CREATED', 'GRANT TYPES'],
      clients.map((c) => [c.id, c.secretHash === null ? 'public' : 'confidential', c.refreshPolicy, c.scopes.join(' '), c.redirectUris.join(' '), isoDate(c.createdAt), c.grantTypes.map(shortGrantType).join(',')]),
    );
  });

  storageOptions(
    client.command('remove').description('remove a client').argument('[id]', 'client id').option('--id <id>', 'client id (same as the argument)'),
  ).action(async (idArg: string | undefined, flags: { id?: string; database?: string; dataDir?: string }) => {
    const id = flags.id ?? idArg;
    if (!id) throw new CliError('no client named: give its id, e.g. keyturn client remove my-app (keyturn client list shows them)', 2);
    await withKeyturn(flags, (kt) => removeClient(kt, id), { advice: { ERR_NOT_FOUND: 'check the id with keyturn client list' } });
    process.stdout.write(`removed client ${id}\n`);
  });
}
