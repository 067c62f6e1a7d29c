/** `keyturn keys list`: the signing keys and their state. */
import type { Command } from 'commander';
import { isoDate, printTable, storageOptions, withKeyturn } from './lib/context.js';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage the keys that sign access and ID tokens');
  storageOptions(keys.command('list').description('list signing keys (the active one signs; retired ones still verify)')).action(
    async (flags: { database?: string; dataDir?: string }) => {
      const list = await withKeyturn(flags, (kt) => kt.keys.list(), { keys: true });
      printTable(
        ['KID', 'ALG', 'STATUS', 'CREATED', 'RETIRED'],
        list.map((k) => [k.kid, k.alg, k.status, isoDate(k.createdAt), isoDate(k.retiredAt)]),
      );
    },
  );
}
