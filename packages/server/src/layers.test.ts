/**
 * The server's layers (DESIGN.md): http -> domain -> storage, with wiring only in the
 * composition root. This test reads every source file's imports and fails when a layer
 * reaches up, or when the domain imports a driver, a file or a socket.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.dirname(fileURLToPath(import.meta.url));

/** Packages and built-in modules that are infrastructure: only storage, http, cli and the composition root use them. */
const INFRASTRUCTURE = /^(node:)?(fs|fs\/promises|net|http|https|http2|tls|dgram|child_process|cluster)$|^(ioredis|pg|better-sqlite3|kysely|fastify|@fastify\/.*|commander|pino|prom-client)$/;

/** Storage modules the domain may use: types, errors and the counter interface, never an implementation. */
const STORAGE_CONTRACT = /^storage\/(records|repository|errors|attemptCounter|types)\.js$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'e2e' || entry.name === 'test-support' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every module a source text imports, statically or with `import()`. */
export function importsOf(text: string): string[] {
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)];
  return found.map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** What is wrong with `file` importing `specifier`, or null. Paths are relative to src/. */
export function violation(file: string, specifier: string): string | null {
  const layer = file.split('/')[0];
  const target = specifier.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) : null;
  if (layer === 'domain') {
    if (target === null) return INFRASTRUCTURE.test(specifier) ? 'the domain imports infrastructure' : null;
    if (/^(http|cli)\//.test(target) || target === 'compose.js' || target === 'app.js') return 'the domain imports a layer above it';
    if (target.startsWith('storage/') && !STORAGE_CONTRACT.test(target)) return 'the domain imports a storage implementation';
  }
  if (layer === 'storage' && target !== null && /^(domain|http|cli)\//.test(target)) return 'storage imports a layer above it';
  if (layer === 'http' && target !== null && /^cli\//.test(target)) return 'http imports the CLI';
  return null;
}

describe('layers', () => {
  it('keeps every import pointing down: http -> domain -> storage, no driver, file or socket in the domain', () => {
    const problems: string[] = [];
    for (const full of sourceFiles(SRC)) {
      const file = path.relative(SRC, full).split(path.sep).join('/');
      for (const specifier of importsOf(readFileSync(full, 'utf8'))) {
        const why = violation(file, specifier);
        if (why) problems.push(`${file} imports ${specifier}: ${why}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('would catch each kind of violation (the check itself can fail)', () => {
    const text = "import { Redis } from 'ioredis';\nimport type { X } from '../http/server.js';\nconst fs = await import('node:fs');\nimport '../storage/open.js';";
    expect(importsOf(text)).toEqual(['ioredis', '../http/server.js', 'node:fs', '../storage/open.js']);
    expect(violation('domain/a.ts', 'ioredis')).toMatch(/infrastructure/);
    expect(violation('domain/a.ts', 'node:fs/promises')).toMatch(/infrastructure/);
    expect(violation('domain/a.ts', 'prom-client')).toMatch(/infrastructure/);
    expect(violation('domain/tokens/a.ts', '../../http/server.js')).toMatch(/layer above/);
    expect(violation('domain/a.ts', '../compose.js')).toMatch(/layer above/);
    expect(violation('domain/a.ts', '../storage/open.js')).toMatch(/storage implementation/);
    expect(violation('storage/kysely/a.ts', '../../domain/errors.js')).toMatch(/layer above/);
    expect(violation('domain/a.ts', '../storage/records.js')).toBeNull();
    expect(violation('domain/a.ts', 'node:crypto')).toBeNull();
    expect(violation('compose.ts', 'ioredis')).toBeNull();
  });
});
