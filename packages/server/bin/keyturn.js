#!/usr/bin/env node
// The `keyturn` command. The code lives in dist/ (built by `npm ci` through the root
// `prepare` script); this file exists before the build so npm can link it at install time.
import { main } from '../dist/cli/main.js';

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`keyturn: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
