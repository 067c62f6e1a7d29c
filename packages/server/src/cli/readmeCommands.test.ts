/**
 * The READMEs' commands are safe to type outside the repository: none runs `keyturn` through a
 * bare `npx keyturn`, which, where the workspace is not installed, asks the npm registry for an
 * unrelated package of that name and runs it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const READMES = ['README.md', 'packages/server/README.md', 'packages/client/README.md'];

/** Each `npx … keyturn` in a text that may install from the registry (no `--no-install`), as "line: call". */
function unsafeNpx(text: string): string[] {
  return text.split('\n').flatMap((line, i) =>
    [...line.matchAll(/\bnpx((?:\s+--?[\w-]+)*)\s+([\w@/.-]+)/g)]
      .filter((m) => m[2] === 'keyturn' && !/\s(--no-install|--no)\b/.test(m[1] ?? ''))
      .map((m) => `${i + 1}: ${m[0]}`),
  );
}

describe('README commands', () => {
  it('never run keyturn through an npx that may install from the registry', () => {
    const unsafe = READMES.flatMap((readme) => unsafeNpx(readFileSync(path.join(ROOT, readme), 'utf8')).map((at) => `${readme}:${at}`));
    expect(unsafe).toEqual([]);
  });

  it('would catch a bare npx keyturn (the check itself can fail)', () => {
    expect(unsafeNpx('printf x | npx keyturn user add\nnpx --yes keyturn serve')).toEqual(['1: npx keyturn', '2: npx --yes keyturn']);
    expect(unsafeNpx('npx --no-install keyturn serve\nnpx tsx example.mts\nnpx --no keyturn gc')).toEqual([]);
  });
});
