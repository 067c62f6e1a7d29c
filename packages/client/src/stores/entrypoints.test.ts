/** Guards the dependency rule: drivers and argon2 are optional peers, loaded only by dynamic import(). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('..', import.meta.url));
const OPTIONAL_PEERS = ['better-sqlite3', 'pg', 'ioredis', '@node-rs/argon2'];

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'test-support' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The code without comments, so TSDoc examples do not count as imports. */
function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** Module specifiers of static `import … from '…'` / `export … from '…'` (type-only imports excluded). */
function staticImports(code: string): string[] {
  return [...code.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map((match) => match[1] as string);
}

describe('the vault and stores modules', () => {
  const files = [...sources(join(src, 'vault')), ...sources(join(src, 'stores'))];

  it('import only node: builtins and relative files statically, never an optional peer', () => {
    expect(files.length).toBeGreaterThan(10);
    let seen = 0;
    for (const file of files) {
      for (const specifier of staticImports(withoutComments(readFileSync(file, 'utf8')))) {
        seen += 1;
        expect({ file: relative(src, file), specifier }).toMatchObject({
          specifier: expect.stringMatching(/^(node:|\.\.?\/)/),
        });
      }
    }
    expect(seen).toBeGreaterThan(30); // the scan really found the imports
  });

  it('load each optional peer with import() only in the module that needs it', () => {
    const users = new Map<string, string[]>();
    for (const file of files) {
      const code = withoutComments(readFileSync(file, 'utf8'));
      for (const peer of OPTIONAL_PEERS) {
        if (code.includes(`import('${peer}')`)) users.set(peer, [...(users.get(peer) ?? []), relative(src, file)]);
      }
    }
    expect(Object.fromEntries(users)).toEqual({
      'better-sqlite3': ['stores/sqlite.ts'],
      pg: ['stores/postgres.ts'],
      ioredis: ['stores/redis.ts'],
      '@node-rs/argon2': ['vault/lib/deriveKey.ts'],
    });
  });
});
