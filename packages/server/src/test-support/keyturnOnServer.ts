/**
 * The `keyturn` command on a test server's database and data folder, as an operator runs it
 * next to the server: in this process (fast; its own context and connection, as a second
 * process has) or as the built command in a child process.
 */
import { vi } from 'vitest';
import { main } from '../cli/main.js';
import { ENV, keyturn, type Run } from './cli.js';
import { TEST_SECRET, type TestServer } from './server.js';

/** What a command printed and its exit code. */
export interface InProcessRun {
  code: number;
  out: string;
  err: string;
}

const storageOf = (s: TestServer | null): string[] => (s ? ['--database', s.database, '--data-dir', s.dataDir] : []);

/**
 * Runs `keyturn <args>` in this process with the server's secret, on `s`'s database (none
 * for `null`), capturing what it prints.
 *
 * @example
 * ```ts
 * const gc = await keyturnHere(s, 'gc', '--batch-size', '100');
 * expect(gc).toMatchObject({ code: 0, err: '' });
 * ```
 */
export async function keyturnHere(s: TestServer | null, ...args: string[]): Promise<InProcessRun> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  const previous = process.env.KEYTURN_SECRET;
  process.env.KEYTURN_SECRET = TEST_SECRET;
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'keyturn', ...args, ...storageOf(s)]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    if (previous === undefined) delete process.env.KEYTURN_SECRET;
    else process.env.KEYTURN_SECRET = previous;
    process.exitCode = undefined;
  }
}

/**
 * Runs the built `keyturn <args>` in a child process with the server's secret, on `s`'s database.
 *
 * @example
 * ```ts
 * const rotated = await keyturnProcess(s, 'keys', 'rotate', '--alg', 'ES256');
 * ```
 */
export function keyturnProcess(s: TestServer, ...args: string[]): Promise<Run> {
  return keyturn([...args, ...storageOf(s)], { env: { ...ENV, KEYTURN_SECRET: TEST_SECRET } });
}
