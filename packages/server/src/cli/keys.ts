/** `keyturn keys list | rotate | prune`: the signing keys, their rotation and their removal. */
import { Option, type Command } from 'commander';
import { SIGNING_ALGS, type SigningAlg } from '../config.js';
import { keyRetentionSec, pruneRetiredKeys } from '../domain/housekeeping.js';
import { rotateSigningKey } from '../domain/rotateSigningKey.js';
import { isoDate } from './lib/format.js';
import { printTable } from './lib/printTable.js';
import { storageOptions } from './lib/storageOptions.js';
import { withKeyturn } from './lib/withKeyturn.js';

interface StorageFlags {
  database?: string;
  dataDir?: string;
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage the keys that sign access and ID tokens');

  storageOptions(keys.command('list').description('list signing keys (the active one signs; retired ones still verify until they can be pruned)')).action(
    async (flags: StorageFlags) => {
      const { list, retentionMs, now } = await withKeyturn(
        flags,
        async (kt) => ({ list: await kt.keys.list(), retentionMs: keyRetentionSec(kt.config) * 1000, now: kt.now() }),
        { keys: true },
      );
      printTable(
        ['KID', 'ALG', 'STATUS', 'CREATED', 'RETIRED', 'PRUNABLE FROM'],
        list.map((k) => [k.kid, k.alg, k.status, isoDate(k.createdAt), isoDate(k.retiredAt), prunableFrom(k.retiredAt, retentionMs, now)]),
      );
    },
  );

  storageOptions(
    keys
      .command('rotate')
      .description('create a new signing key and make it active; the old one stays published until its tokens have expired')
      .addOption(new Option('--alg <alg>', 'algorithm of the new key (default: the configured one, env KEYTURN_SIGNING_ALG)').choices(SIGNING_ALGS)),
  ).action(async (flags: StorageFlags & { alg?: SigningAlg }) => {
    const { key, retentionSec } = await withKeyturn(flags, async (kt) => ({ key: await rotateSigningKey(kt, flags.alg), retentionSec: keyRetentionSec(kt.config) }), {
      keys: true,
    });
    process.stdout.write(
      `new active signing key ${key.kid} (${key.alg}). Running servers sign with it within their key cache time;\n` +
        `the previous key stays in the JWKS and can be pruned ${retentionSec} s from now (keyturn keys prune).\n`,
    );
  });

  storageOptions(keys.command('prune').description('remove retired keys that can no longer have signed a valid token')).action(async (flags: StorageFlags) => {
    const removed = await withKeyturn(flags, (kt) => pruneRetiredKeys(kt, 'operator'), { keys: true });
    process.stdout.write(removed.length === 0 ? 'no retired key can be pruned yet\n' : removed.map((kid) => `pruned ${kid}\n`).join(''));
  });
}

function prunableFrom(retiredAt: number | null, retentionMs: number, now: number): string {
  if (retiredAt === null) return '-';
  const at = retiredAt + retentionMs;
  return at <= now ? `now (${isoDate(at)})` : isoDate(at);
}
