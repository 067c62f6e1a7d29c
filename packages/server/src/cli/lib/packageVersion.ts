/** The version of @keyturn/server, for `keyturn --version`. */
import { readFileSync } from 'node:fs';

/** Read at run time from package.json (two folders above both src/cli/lib and dist/cli/lib). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
