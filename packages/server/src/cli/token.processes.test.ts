/**
 * Several real `keyturn token` processes (the built bin, separate memory, one file store) at
 * expiry: exactly one refresh, every process prints the same new token.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openCliVault } from '@keyturn/client';
import { startTestServer, type TestServer } from '../test-support/server.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/keyturn.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

let server: TestServer;
let home: string;

beforeAll(async () => {
  if (!existsSync(BUILT)) throw new Error('packages/server/dist is missing: run `npm run build` first (npm test does)');
  server = await startTestServer();
  await server.addUser('procs@example.com', 'correct horse battery staple');
  await server.addClient({ id: 'procs', secret: 'procs-secret-0123456789', redirectUris: ['com.example.procs://redirect'], scope: 'openid', refreshPolicy: 'rotate' });
  home = mkdtempSync(path.join(tmpdir(), 'keyturn-procs-'));
});

afterAll(async () => {
  await server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

function keyturn(...args: string[]) {
  return run(process.execPath, [BIN, ...args], { env: { ...process.env, KEYTURN_HOME: home, KEYTURN_VAULT_KEY: '' } });
}

it('four `keyturn token` processes at expiry make one refresh and print the same new token', async () => {
  const npsso = await server.signIn('procs@example.com', 'correct horse battery staple');
  await keyturn('login', '--npsso', npsso, '--server', server.url, '--client-id', 'procs', '--client-secret', 'procs-secret-0123456789', '--redirect-uri', 'com.example.procs://redirect', '--scope', 'openid');
  const before = (await keyturn('token')).stdout;
  // Make the stored access token expired (as if an hour had passed); the refresh token stays valid.
  const vault = await openCliVault({ home, env: {} });
  const stored = (await vault.load('default'))!;
  await vault.save('default', { ...stored, accessTokenExpiresAt: new Date(Date.now() - 1_000).toISOString() });
  const outs = await Promise.all([1, 2, 3, 4].map(() => keyturn('token')));
  const tokens = new Set(outs.map((o) => o.stdout));
  expect(tokens.size).toBe(1);
  const [after] = [...tokens];
  expect(after).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  expect(after).not.toBe(before);
  expect(outs.map((o) => o.stderr)).toEqual(['', '', '', '']);
});
