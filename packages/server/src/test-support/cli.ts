/** Spawning the built `keyturn` command in tests, as a user would run it. */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRepository } from '../storage/open.js';

export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/keyturn.js');

/** The environment without any KEYTURN_* a developer may have set. */
export const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEYTURN_')));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `keyturn` command with standard input `stdin`, `env` (default: `ENV`) and working folder `cwd`. */
export function keyturn(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: opts.env ?? ENV, stdio: ['pipe', 'pipe', 'pipe'], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for a server the test spawns). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Creates (migrates) the database a management command is pointed at, as the first `serve`
 * on it would: commands other than `serve` refuse to create one. `target` is a data folder
 * (its `keyturn.db`) or, with `{ database }`, a SQLite path or PostgreSQL URL.
 *
 * @example
 * ```ts
 * await prepareDatabase({ dataDir });
 * await keyturn(['user', 'add', '--email', 'ada@example.com', '--password-stdin', '--data-dir', dataDir], { stdin: PASSWORD });
 * ```
 */
export async function prepareDatabase(where: { dataDir: string } | { database: string }): Promise<void> {
  const repo = await openRepository('database' in where ? where.database : path.join(where.dataDir, 'keyturn.db'));
  await repo.close();
}
