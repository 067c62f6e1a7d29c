/** The `keyturn` command run in this process through `main` (fast, no build), each test in a KEYTURN_HOME of its own. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { main } from '../cli/main.js';

export interface InProcessRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `keyturn …args` and answers its exit code and what it wrote to stdout and stderr.
 *
 * @example
 * ```ts
 * const { code, out } = await runKeyturn('status', '--check');
 * ```
 */
export async function runKeyturn(...args: string[]): Promise<InProcessRun> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    return { code: await main(['node', 'keyturn', ...args]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/**
 * Points KEYTURN_HOME at a new temporary folder, without a vault key or client secret from the
 * environment; returns the folder and what removes it again (a `beforeEach` cleanup).
 *
 * @example
 * ```ts
 * beforeEach(() => {
 *   const fresh = freshKeyturnHome('keyturn-cli-');
 *   home = fresh.home;
 *   return fresh.remove;
 * });
 * ```
 */
export function freshKeyturnHome(prefix: string): { home: string; remove: () => void } {
  const home = mkdtempSync(path.join(tmpdir(), prefix));
  process.env.KEYTURN_HOME = home;
  delete process.env.KEYTURN_VAULT_KEY;
  delete process.env.KEYTURN_CLIENT_SECRET;
  process.exitCode = undefined;
  return {
    home,
    remove: () => {
      process.exitCode = undefined;
      rmSync(home, { recursive: true, force: true });
    },
  };
}
