/** Guards the documentation rule: every public export carries TSDoc with an `@example`. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(`${packageRoot}package.json`, 'utf8')) as {
  exports: Record<string, string | { types?: string }>;
};

/** The source file behind each public entry point (`./dist/x.d.ts` → `src/x.ts`). */
const entryPoints = Object.values(manifest.exports)
  .flatMap((target) => (typeof target === 'object' && target.types ? [target.types] : []))
  .map((types) => `${packageRoot}${types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')}`);

describe('the public API documentation', () => {
  const program = ts.createProgram(entryPoints, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();

  it('covers every entry point of package.json', () => {
    expect(entryPoints.length).toBeGreaterThanOrEqual(6);
    for (const file of entryPoints) expect(program.getSourceFile(file), file).toBeDefined();
  });

  it('has an @example with a code block on every export', () => {
    const undocumented: string[] = [];
    let exports = 0;
    for (const file of entryPoints) {
      const source = program.getSourceFile(file);
      const moduleSymbol = source && checker.getSymbolAtLocation(source);
      if (!moduleSymbol) throw new Error(`no module symbol for ${file}`);
      for (const exported of checker.getExportsOfModule(moduleSymbol)) {
        exports += 1;
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const examples = symbol.getJsDocTags(checker).filter((tag) => tag.name === 'example');
        const text = examples.map((tag) => ts.displayPartsToString(tag.text)).join('\n');
        if (!text.includes('```')) undocumented.push(`${file.slice(packageRoot.length)}: ${exported.name}`);
      }
    }
    expect(exports).toBeGreaterThan(50);
    expect(undocumented).toEqual([]);
  });
});
