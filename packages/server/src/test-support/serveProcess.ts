/**
 * A real `keyturn serve` process for the tests that need one (several machines, SIGTERM, SIGKILL):
 * the built bin on a free port, polled until it answers, and stopped with a bounded wait.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { BIN, freePort } from './cli.js';
import { METADATA_PATHS } from './paths.js';

const BUILT = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const START_TIMEOUT_MS = 60_000;
export const STOP_TIMEOUT_MS = 10_000;

export interface ServeProcess {
  url: string;
  pid: number;
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** What it printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves with the exit code once the process has ended (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** Throws a clear error when the CLI has not been built (the processes run dist/, not src/). */
export function requireBuiltCli(): void {
  if (!existsSync(BUILT)) throw new Error('packages/server/dist is missing: run `npm run build` first (npm test does)');
}

/**
 * Spawns `keyturn serve` on a free port and polls it until it answers discovery. A port taken
 * between `freePort()` and the bind makes the process exit early: then it tries another.
 *
 * @example
 * ```ts
 * const p = await startServe(['--database', db.url], { ...ENV, KEYTURN_SECRET: secret });
 * expect(await stop(p)).toBe(0);
 * ```
 */
export async function startServe(args: string[], env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let done = false;
    void exited.then(() => (done = true));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!done && Date.now() < deadline) {
      try {
        const res = await fetch(url + METADATA_PATHS[0], { signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        if (res.status === 200) return { url, pid: child.pid!, child, output: () => out, exited };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!done) child.kill('SIGKILL');
    await exited;
    lastError = out;
  }
  throw new Error(`keyturn serve did not start: ${lastError}`);
}

/**
 * Sends `signal` (SIGTERM by default) and waits up to `timeoutMs` for the exit code; past that
 * it kills the process and answers `'timeout'`.
 *
 * @example
 * ```ts
 * expect(await stop(p)).toBe(0);
 * ```
 */
export async function stop(p: ServeProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = STOP_TIMEOUT_MS): Promise<number | null | 'timeout'> {
  p.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([p.exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
  clearTimeout(timer);
  if (result === 'timeout') {
    p.child.kill('SIGKILL');
    await p.exited;
  }
  return result;
}
