// npm's `prepare` step (run by `npm install` / `npm ci` at the root). With TypeScript installed
// (a development install) it builds dist/. Without it (a production install: `npm ci --omit=dev`
// on a tree that already holds dist/, see docs/OPERATING.md) it keeps the dist/ that is there.
// Only a tree with neither fails, saying what to do, instead of `tsc: not found`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = ['packages/client/dist/index.js', 'packages/server/dist/cli/main.js'].every((file) => existsSync(new URL(`../${file}`, import.meta.url)));

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  tsc = undefined;
}

if (tsc !== undefined) {
  const run = spawnSync(process.execPath, [tsc, '-b', 'packages/client', 'packages/server'], { cwd: root, stdio: 'inherit' });
  process.exit(run.status ?? 1);
} else if (built) {
  console.log('keyturn: TypeScript is not installed (a production install): using the dist/ already built');
} else {
  console.error(
    'keyturn: cannot build: TypeScript is not installed and dist/ is missing.\n' +
      'Build with the dev dependencies first (npm ci), then drop them (npm prune --omit=dev), or install a tree that ships dist/ (docs/OPERATING.md).',
  );
  process.exit(1);
}
