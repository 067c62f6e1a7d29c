/**
 * Docs that run: every block the READMEs mark ```ts runnable is type-checked and run as written,
 * as its own process, against a fresh real Keyturn server, with the environment variables the
 * client README documents.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/src/test-support/server.js';
import { PSN_CLIENT_ID, PSN_CLIENT_SECRET, PSN_REDIRECT_URI, PSN_SCOPE } from './lib/constants.js';
import { envNames, REPO_ROOT, runBlock, runnableBlocks, writeBlock } from './test-support/readmeExamples.js';

const CLIENT_README = 'packages/client/README.md';
const blocks = [...runnableBlocks('README.md'), ...runnableBlocks(CLIENT_README)];
const files = new Map(blocks.map((block) => [block, writeBlock(block)]));
const where = (block: (typeof blocks)[number]) => `${block.readme}:${block.line}`;

let server: TestServer;
let env: Record<string, string>;
const scratch = mkdtempSync(path.join(tmpdir(), 'keyturn-readme-'));

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('reader@example.com', 'correct horse battery staple');
  await server.addClient({ id: 'my-bot', secret: 'my-bot-secret-0123456789', redirectUris: ['com.example.bot://redirect'], scope: 'openid profile' });
  await server.addClient({ id: PSN_CLIENT_ID, secret: PSN_CLIENT_SECRET, redirectUris: [PSN_REDIRECT_URI], scope: PSN_SCOPE });
  env = {
    PATH: process.env.PATH ?? '',
    KEYTURN_URL: server.url,
    KEYTURN_CLIENT_ID: 'my-bot',
    KEYTURN_CLIENT_SECRET: 'my-bot-secret-0123456789',
    NPSSO: await server.signIn('reader@example.com', 'correct horse battery staple'),
    VAULT_KEY: 'ab'.repeat(32),
  };
});

afterAll(async () => {
  await server?.close();
  for (const file of files.values()) rmSync(file, { force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('runnable README examples', () => {
  it('are marked in the client README: the vault, the bot, the exchanges and psn-api against Keyturn', () => {
    const code = blocks.filter((b) => b.readme === CLIENT_README).map((b) => b.code);
    expect(code.length).toBeGreaterThanOrEqual(4);
    expect(code.some((c) => c.includes('createVault(') && c.includes("import os from 'node:os'"))).toBe(true);
    expect(code.some((c) => c.includes('notifyOwner') && c.includes('AuthSession.fromVault(vault'))).toBe(true);
    expect(code.some((c) => c.includes("from 'psn-api'") && c.includes('globalThis.fetch ='))).toBe(true);
  });

  it('read only environment variables the client README documents', () => {
    const readme = readFileSync(path.join(REPO_ROOT, CLIENT_README), 'utf8');
    const section = readme.slice(readme.indexOf('### Running the examples'), readme.indexOf('## Token vault'));
    const used = [...new Set(blocks.flatMap((b) => envNames(b.code)))];
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(section, name).toContain(`\`${name}\``);
  });

  it('type-check as written (strict)', () => {
    const program = ts.createProgram([...files.values()], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      paths: {
        '@keyturn/client': [path.join(REPO_ROOT, 'packages/client/src/index.ts')],
        '@keyturn/client/stores/*': [path.join(REPO_ROOT, 'packages/client/src/stores/*.ts')],
      },
    });
    const problems = [...files.values()].flatMap((file) =>
      ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => `${path.basename(file)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`),
    );
    expect(problems).toEqual([]);
  });

  for (const block of blocks) {
    it(`${where(block)} runs to the end against a fresh server, and again in the same folder with what the first run saved`, async () => {
      const cwd = mkdtempSync(path.join(scratch, 'run-'));
      for (const attempt of ['first', 'second']) {
        const run = await runBlock(files.get(block)!, { ...env, HOME: cwd }, cwd);
        expect(run.stderr, `${attempt} run`).toBe('');
        expect(run.exitCode, `${attempt} run`).toBe(0);
        expect(run.stdout.trim(), `${attempt} run`).not.toBe('');
      }
    }, 90_000);
  }
});
