/** The flags a management command takes to find the server's storage (as `serve` does). */
import type { Command } from 'commander';

/** Adds --database and --data-dir to a management command. */
export function storageOptions(cmd: Command): Command {
  return cmd
    .option('--database <url-or-path>', 'SQLite file or postgres:// URL (env KEYTURN_DATABASE_URL; default ./data/keyturn.db)')
    .option('--data-dir <dir>', 'folder for the SQLite file and the secret file (env KEYTURN_DATA_DIR; default ./data)');
}
