/** `keyturn gc`: deletes expired codes, grants, refresh tokens, SSO sessions, revoked-token entries and old audit events. */
import type { Command } from 'commander';
import { collectGarbage } from '../domain/housekeeping.js';
import { positiveInt } from './lib/positiveInt.js';
import { storageOptions } from './lib/storageOptions.js';
import { withKeyturn } from './lib/withKeyturn.js';

export function registerGc(program: Command): void {
  storageOptions(
    program
      .command('gc')
      .description('delete expired rows, and audit events older than KEYTURN_AUDIT_RETENTION days, in small batches (the server also does this every KEYTURN_GC_INTERVAL seconds)')
      .option('--batch-size <n>', 'rows of each kind per batch (default 500)', positiveInt),
  ).action(async (flags: { batchSize?: number; database?: string; dataDir?: string }) => {
    const deleted = await withKeyturn(flags, async (kt) => {
      let total = 0;
      // Bounded passes until one finds everything done.
      for (;;) {
        const pass = await collectGarbage(kt, flags.batchSize === undefined ? {} : { batchSize: flags.batchSize });
        total += pass.deleted;
        if (pass.complete) return total;
      }
    });
    process.stdout.write(`deleted ${deleted} expired row${deleted === 1 ? '' : 's'}\n`);
  });
}
