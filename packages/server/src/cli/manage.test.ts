/**
 * The built `keyturn` command, spawned as a user would run it: user/client/keys management
 * on one data folder (exit 1 for failures), then `serve` on it, used and stopped with SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ENV, freePort, keyturn, prepareDatabase } from '../test-support/cli.js';
import { signInThroughForm } from '../test-support/server.js';

const root = mkdtempSync(path.join(tmpdir(), 'keyturn-cli-'));
const dataDir = path.join(root, 'data');
const store = ['--data-dir', dataDir];
afterAll(() => rmSync(root, { recursive: true, force: true }));
// Only `serve` creates a database; here it is made as the first `serve` would make it.
beforeAll(() => prepareDatabase({ dataDir }));

describe('managing users, clients and keys on one data folder, then serving it', () => {
  it('adds a user with the password on standard input, and refuses the same email again with exit 1', async () => {
    const added = await keyturn(['user', 'add', '--email', 'Ada@Example.com', '--password-stdin', '--name', 'Ada', ...store], { stdin: 'correct horse battery\n' });
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(/^added user ada@example\.com \(id [0-9a-f-]{36}\)\n$/);
    const again = await keyturn(['user', 'add', '--email', 'ada@example.com', '--password-stdin', ...store], { stdin: 'another password' });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('keyturn: a user with email ada@example.com already exists: that person can already sign in; give another --email to add someone else\n');
    const empty = await keyturn(['user', 'add', '--email', 'bob@example.com', '--password-stdin', ...store], { stdin: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no password on standard input');
  });

  it('adds, lists and removes clients', async () => {
    // Three processes writing at once: SQLite's busy timeout queues them.
    const [web, mobile, generated] = await Promise.all([
      keyturn(['client', 'add', '--id', 'web-app', '--secret', 'web-app-secret-0123456789', '--redirect-uri', 'https://app.example/cb', '--redirect-uri', 'https://app.example/cb2', '--scope', 'openid email', ...store]),
      keyturn(['client', 'add', '--id', 'mobile-app', '--public', '--redirect-uri', 'com.example.app:/cb', ...store]),
      keyturn(['client', 'add', '--id', 'bot', '--redirect-uri', 'http://127.0.0.1:9000/cb', '--refresh-policy', 'rotate', ...store]),
    ]);
    expect(web).toMatchObject({ code: 0, stderr: '', stdout: 'added confidential client web-app (refresh policy reuse)\n' });
    expect(mobile).toMatchObject({ code: 0, stdout: 'added public client mobile-app (refresh policy rotate)\n' });
    expect(generated.code).toBe(0);
    expect(generated.stdout).toMatch(/^added confidential client bot \(refresh policy rotate\)\nclient secret \(shown once, store it now\): [A-Za-z0-9_-]{43}\n$/);
    const [duplicate, list] = await Promise.all([
      keyturn(['client', 'add', '--id', 'web-app', '--secret', 'web-app-secret-0123456789', '--redirect-uri', 'https://app.example/cb', ...store]),
      keyturn(['client', 'list', ...store]),
    ]);
    expect(duplicate).toMatchObject({ code: 1, stderr: 'keyturn: a client with id web-app already exists: pick another --id, or remove it first (keyturn client remove web-app) and add it again\n' });
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TYPE\s+POLICY\s+SCOPE\s+REDIRECT URIS\s+CREATED\s+GRANT TYPES$/);
    // Registered without --grant-types: the code flow and refresh, as before device sign-in.
    expect(lines.filter((l) => /\sauthorization_code,refresh_token$/.test(l))).toHaveLength(3);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3)).sort()).toEqual([
      ['bot', 'confidential', 'rotate'],
      ['mobile-app', 'public', 'rotate'],
      ['web-app', 'confidential', 'reuse'],
    ]);
    expect(list.stdout).toContain('https://app.example/cb https://app.example/cb2');

    expect(await keyturn(['client', 'remove', 'bot', ...store])).toMatchObject({ code: 0, stdout: 'removed client bot\n' });
    expect(await keyturn(['client', 'remove', '--id', 'bot', ...store])).toMatchObject({ code: 1, stderr: 'keyturn: no client with id bot: check the id with keyturn client list\n' });
    const after = await keyturn(['client', 'list', ...store]);
    expect(after.stdout).not.toMatch(/^bot\s/m);
    expect(after.stdout).toMatch(/^web-app\s/m);
  });

  it('adds a client allowed device sign-in with --grant-types, by short name or URN, and refuses an unknown grant type', async () => {
    const tv = await keyturn(['client', 'add', '--id', 'tv-app', '--public', '--redirect-uri', 'http://127.0.0.1:9/cb', '--grant-types', 'device_code,urn:ietf:params:oauth:grant-type:device_code,refresh_token', ...store]);
    expect(tv).toMatchObject({ code: 0, stdout: 'added public client tv-app (refresh policy rotate)\n' });
    const list = await keyturn(['client', 'list', ...store]);
    expect(list.stdout).toMatch(/^tv-app\s.*\srefresh_token,device_code$/m);
    const bad = await keyturn(['client', 'add', '--id', 'tv2', '--redirect-uri', 'http://127.0.0.1:9/cb', '--grant-types', 'password', ...store]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown grant type "password": use authorization_code, refresh_token, device_code (or the full URN)');
  });

  it('lists the signing key', async () => {
    const run = await keyturn(['keys', 'list', ...store]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KID\s+ALG\s+STATUS\s+CREATED\s+RETIRED\b/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^[0-9a-f-]{36}\s+RS256\s+active\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+-(\s|$)/);
  });

  it('serves the data folder on the given port, signs in the user it added, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const keys = await keyturn(['keys', 'list', ...store]);
    const kid = keys.stdout.split('\n')[1]!.split(/\s+/)[0];
    const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...store], { env: { ...ENV, KEYTURN_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not start: ${stdout}${stderr}`)), 10_000);
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          if (/listening on /.test(stdout)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('close', () => reject(new Error(`serve exited early: ${stderr}`)));
      });
      const url = `http://127.0.0.1:${port}`;
      // The start is a JSON log line with the facts as fields (the human banner is for a terminal only).
      const started = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.url !== undefined);
      expect(started).toMatchObject({ msg: `Keyturn is listening on ${url}`, url, people: 1, signIn: `${url}/signin` });
      const home = await fetch(`${url}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('href="/signin"');
      const npsso = await signInThroughForm(url, 'ada@example.com', 'correct horse battery');
      expect(npsso).toMatch(/^[A-Za-z0-9_-]{64}$/);
      const jwks = (await (await fetch(`${url}/api/authz/v3/oauth/jwks`)).json()) as { keys: Array<{ kid: string }> };
      expect(jwks.keys.map((k) => k.kid)).toEqual([kid]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.slice(-2).map((l) => l.msg)).toEqual(['Keyturn is stopping', 'Keyturn stopped']);
  }, 20_000);
});
