/**
 * Run as a separate process (`vite-node lockChild.ts <spec-json> <iterations>`): opens its own
 * store from the spec, prints "ready", waits for a line on stdin, then increments the counter
 * `counter` `iterations` times under `withLock('counter')`, prints "done" and exits.
 * With the parent doing the same, a lost update means the lock let two processes in.
 */
import { openSpec, type StoreSpec } from './backends.js';
import { incrementUnderLock } from './counter.js';

const [specJson, iterationsText] = process.argv.slice(2);
if (specJson === undefined || iterationsText === undefined) throw new Error('usage: lockChild <spec-json> <iterations>');
const store = await openSpec(JSON.parse(specJson) as StoreSpec);
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
try {
  await incrementUnderLock(store, 'counter', Number(iterationsText));
} finally {
  await store.close();
}
process.stdout.write('done\n');
process.exit(0);
