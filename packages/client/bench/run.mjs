// Runs every benchmark of @keyturn/client: each `*.bench.mjs` file in this folder, one after another.
// Benchmarks import the built package (dist/), which `npm ci` / `npm run build` produces.
import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
if (!existsSync(join(here, '..', 'dist', 'index.js'))) {
  console.error('packages/client/dist is missing: run `npm run build` first.');
  process.exit(1);
}
const only = process.argv.slice(2);
const files = (await readdir(here))
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => only.length === 0 || only.some((part) => name.includes(part)))
  .sort();
for (const name of files) {
  console.log(`\n## ${name}`);
  const mod = await import(pathToFileURL(join(here, name)).href);
  // A bench file may run on import, or export a default async function to be awaited.
  if (typeof mod.default === 'function') await mod.default();
}
