/** Opening the server's storage from a management command, with the same flags and env as `serve`. */
import type { Command } from 'commander';
import { ConfigError, loadConfig, type ConfigFlags } from '../../config.js';
import { createKeyturn } from '../../compose.js';
import type { Keyturn } from '../../domain/context.js';
import { ManagementError } from '../../domain/errors.js';
import { CliError } from './errors.js';

/** Adds --database and --data-dir to a management command. */
export function storageOptions(cmd: Command): Command {
  return cmd
    .option('--database <url-or-path>', 'SQLite file or postgres:// URL (env KEYTURN_DATABASE_URL; default ./data/keyturn.db)')
    .option('--data-dir <dir>', 'folder for the SQLite file and the secret file (env KEYTURN_DATA_DIR; default ./data)');
}

/** Runs `fn` with a context; closes it afterwards and turns domain errors into clean CLI errors. */
export async function withKeyturn<T>(flags: ConfigFlags, fn: (kt: Keyturn) => Promise<T>, options: { keys?: boolean } = {}): Promise<T> {
  let kt: Keyturn;
  try {
    kt = await createKeyturn(loadConfig(flags), { skipKeys: !options.keys });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, 2);
    throw new CliError(`could not open the database: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return await fn(kt);
  } catch (err) {
    if (err instanceof ManagementError) throw new CliError(err.message, err.code === 'ERR_INVALID' ? 2 : 1);
    throw err;
  } finally {
    await kt.close();
  }
}

/** Reads all of standard input (for secrets that must not appear in argv or shell history). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('(reading from standard input; end with Ctrl-D)\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function isoDate(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Prints rows as aligned columns. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  process.stdout.write(`${line(headers)}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}
