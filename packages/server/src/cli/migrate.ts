/** `keyturn migrate`: applies the database migrations this version brings, and says which. */
import type { Command } from 'commander';
import { migrations } from '../storage/kysely/migrations.js';
import { openRepository } from '../storage/open.js';
import { cliConfig } from './lib/configError.js';
import { explainStartFailure } from './lib/startFailure.js';
import { storageOptions } from './lib/storageOptions.js';
import { withoutPassword } from './lib/withoutPassword.js';

export function registerMigrate(program: Command): void {
  storageOptions(
    program
      .command('migrate')
      .description('apply pending database migrations (serve applies them too; run this first when upgrading, after a backup)'),
  ).action(async (flags: { database?: string; dataDir?: string }) => {
    const config = cliConfig(flags);
    const where = withoutPassword(config.database);
    let applied: string[];
    try {
      const repo = await openRepository(config.database, { migrate: false });
      try {
        applied = await repo.migrate();
      } finally {
        await repo.close();
      }
    } catch (err) {
      throw explainStartFailure(err, config) ?? err;
    }
    const known = Object.keys(migrations).length;
    process.stdout.write(
      applied.length === 0
        ? `the database ${where} is up to date (${known} migrations, last ${Object.keys(migrations).at(-1)})\n`
        : `${applied.map((name) => `applied ${name}\n`).join('')}the database ${where} is up to date (${known} migrations)\n`,
    );
  });
}
