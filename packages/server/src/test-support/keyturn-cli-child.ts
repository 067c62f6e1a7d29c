/**
 * Run as a separate process (`vite-node keyturn-cli-child.ts -- <keyturn args…>`): the
 * `keyturn` command from the TypeScript sources, so tests can drive it from another process
 * without a build.
 */
import { main } from '../cli/main.js';

const args = process.argv.slice(2);
const at = args.indexOf('--');
process.exitCode = await main(['node', 'keyturn', ...(at === -1 ? args : args.slice(at + 1))]);
