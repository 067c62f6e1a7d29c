/**
 * Finds the code blocks a README marks as runnable (fence info string `ts runnable`), and runs
 * one as its own process: written to a `.mts` file inside the repository (so `psn-api` and the
 * `@keyturn/client` aliases of vitest.config.ts resolve), run by vite-node.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const VITE_NODE = path.join(REPO_ROOT, 'node_modules/.bin/vite-node');

export interface RunnableBlock {
  /** README path relative to the repository root. */
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
}

export interface BlockRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Every block of `readme` (relative to the repository root) whose fence reads ```ts runnable. */
export function runnableBlocks(readme: string): RunnableBlock[] {
  const lines = readFileSync(path.join(REPO_ROOT, readme), 'utf8').split('\n');
  const blocks: RunnableBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^```ts\s+runnable\s*$/.test(lines[i]!)) continue;
    const end = lines.indexOf('```', i + 1);
    if (end === -1) throw new Error(`${readme}:${i + 1}: runnable block is never closed`);
    blocks.push({ readme, line: i + 1, code: `${lines.slice(i + 1, end).join('\n')}\n` });
    i = end;
  }
  return blocks;
}

/** The `process.env.NAME` variables a block reads. */
export function envNames(code: string): string[] {
  return [...new Set([...code.matchAll(/process\.env\.([A-Z0-9_]+)/g)].map((m) => m[1]!))];
}

/** Writes the block to `<repo>/.vitest-tmp/readme-examples/`; answers the file's path. */
export function writeBlock(block: RunnableBlock): string {
  const dir = path.join(REPO_ROOT, '.vitest-tmp', 'readme-examples');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${block.readme.replace(/[^A-Za-z0-9]+/g, '_')}-line${block.line}-${process.pid}.mts`);
  writeFileSync(file, block.code);
  return file;
}

/** Runs one written block in `cwd` with exactly `env`; kills it after `timeoutMs`. */
export function runBlock(file: string, env: Record<string, string>, cwd: string, timeoutMs = 60_000): Promise<BlockRun> {
  const child = spawn(VITE_NODE, ['--root', REPO_ROOT, '--config', path.join(REPO_ROOT, 'vitest.config.ts'), file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
  });
}
