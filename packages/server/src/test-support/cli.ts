/** Spawning the built `keyturn` command in tests, as a user would run it. */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/keyturn.js');

/** The environment without any KEYTURN_* a developer may have set. */
export const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEYTURN_')));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `keyturn` command with standard input `stdin` and `env` (default: `ENV`). */
export function keyturn(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: opts.env ?? ENV, stdio: ['pipe', 'pipe', 'pipe'] });
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
