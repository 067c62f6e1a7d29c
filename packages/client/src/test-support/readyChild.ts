/**
 * A TypeScript script run by vite-node as a separate OS process, for tests across processes:
 * the script prints "ready" once set up, waits for a line on stdin ("go"), and exits 0.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const VITE_NODE = fileURLToPath(new URL('../../../../node_modules/.bin/vite-node', import.meta.url));

export interface ReadyChild {
  /** Lets the child start its work. */
  go(): void;
  /** What the child printed after "ready", once it has exited 0; rejects with its stderr otherwise. */
  done: Promise<string>;
}

/** Starts `script` with `args` and resolves once it has printed "ready". */
export async function startReadyChild(script: string, args: string[]): Promise<ReadyChild> {
  const child = spawn(VITE_NODE, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited ${code}: ${errors}`))));
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n')) resolve();
    });
    exited.catch(reject);
  });
  return { go: () => child.stdin.write('go\n'), done: exited.then(() => output.slice(output.indexOf('ready\n') + 'ready\n'.length)) };
}
