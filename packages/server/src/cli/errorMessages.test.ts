/**
 * Every message the built `keyturn` command ends with, as a user sees it: one line on stderr
 * that names what went wrong and what to do next, with the exit code (2 usage, 1 failure).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCliVault } from '@keyturn/client';
import { ENV, freePort, keyturn, type Run } from '../test-support/cli.js';
import { frozenClock } from '../test-support/clock.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

const PASSWORD = 'correct horse battery staple';
const SECRET = 'cli-secret-0123456789';
const REDIRECT = 'com.example.cli://redirect';
const PIPE = `printf '%s' "$PASSWORD" | keyturn user add --email E --password-stdin`;

const root = mkdtempSync(path.join(tmpdir(), 'keyturn-messages-'));
const dataDir = path.join(root, 'data');
const store = ['--data-dir', dataDir];
let server: TestServer;
let url: string;
let downUrl: string;
let homes = 0;

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  downUrl = `http://127.0.0.1:${await freePort()}`;
  await server.addUser('cli@example.com', PASSWORD);
  await server.addClient({ id: 'cli', secret: SECRET, redirectUris: [REDIRECT], scope: 'openid email' });
  // One person in the management data folder (this also creates its database before the parallel runs).
  const added = await keyturn(['user', 'add', '--email', 'ada@example.com', '--password-stdin', ...store], { stdin: PASSWORD });
  expect(added.code).toBe(0);
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A fresh KEYTURN_HOME, optionally prepared. */
function newHome(): string {
  const home = path.join(root, `home-${(homes += 1)}`);
  mkdirSync(home, { mode: 0o700 });
  return home;
}

interface Case {
  what: string;
  args: string[];
  stdin?: string;
  /** KEYTURN_HOME for the run; a fresh empty one when absent. */
  home?: string;
  env?: Record<string, string>;
  code: 1 | 2;
  message: string;
}

function login(server: string, ...more: string[]): string[] {
  return ['login', '--npsso-stdin', '--server', server, '--client-id', 'cli', '--redirect-uri', REDIRECT, '--scope', 'openid email', ...more];
}

async function runCase(c: Pick<Case, 'args' | 'stdin' | 'home' | 'env'>): Promise<Run> {
  const home = c.home ?? newHome();
  return keyturn(c.args, { env: { ...ENV, KEYTURN_HOME: home, ...c.env }, ...(c.stdin === undefined ? {} : { stdin: c.stdin }) });
}

function expectMessages(cases: Case[], runs: Run[]): void {
  runs.forEach((run, i) => {
    const c = cases[i]!;
    expect({ what: c.what, code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      what: c.what,
      code: c.code,
      stdout: '',
      stderr: `keyturn: ${c.message}\n`,
    });
  });
}

describe('keyturn --version', () => {
  it('prints the package version and exits 0', async () => {
    const run = await keyturn(['--version']);
    expect(run).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });
});

describe('what keyturn says when it cannot go on', () => {
  it('names the problem and the next step for every usage and local failure', async () => {
    const badKeyFile = newHome();
    writeFileSync(path.join(badKeyFile, 'vault.key'), 'short\n', { mode: 0o600 });
    const badProfiles = newHome();
    writeFileSync(path.join(badProfiles, 'profiles.json'), 'not json', { mode: 0o600 });
    const otherKey = newHome();
    const vault = await openCliVault({ home: otherKey, env: {}, create: true });
    await vault.save('default', {
      accessToken: 'a.b.c',
      accessTokenExpiresAt: '2030-01-01T00:00:00.000Z',
      refreshToken: 'refresh-token-value-abcdefghijklmnopqrstuvwxyz',
      refreshTokenExpiresAt: '2030-02-01T00:00:00.000Z',
      scope: 'openid',
      tokenType: 'Bearer',
      obtainedAt: '2029-12-31T23:00:00.000Z',
    });
    writeFileSync(path.join(otherKey, 'profiles.json'), JSON.stringify({ default: { baseUrl: `${url}/api/authz/v3/oauth`, clientId: 'cli', redirectUri: REDIRECT, scope: 'openid' } }));
    const envKey = newHome();
    const empty = newHome();
    const cases: Case[] = [
      { what: '--password', args: ['user', 'add', '--email', 'x@example.com', '--password', 'hunter22', ...store], code: 2, message: 'unknown option --password: pass the password on standard input with --password-stdin' },
      { what: 'no --password-stdin', args: ['user', 'add', '--email', 'x@example.com', ...store], code: 2, message: `no password given: give the password on standard input with --password-stdin, e.g. ${PIPE}` },
      { what: 'empty password', args: ['user', 'add', '--email', 'x@example.com', '--password-stdin', ...store], stdin: '', code: 2, message: `no password on standard input: pipe it in, e.g. ${PIPE}` },
      { what: 'bad email', args: ['user', 'add', '--email', 'nobody', '--password-stdin', ...store], stdin: PASSWORD, code: 2, message: '"nobody" is not an email address: correct it and run keyturn user add again' },
      { what: 'short password', args: ['user', 'add', '--email', 'x@example.com', '--password-stdin', ...store], stdin: 'short', code: 2, message: 'the password must have at least 8 characters: correct it and run keyturn user add again' },
      { what: 'same email', args: ['user', 'add', '--email', 'ada@example.com', '--password-stdin', ...store], stdin: PASSWORD, code: 1, message: 'a user with email ada@example.com already exists: that person can already sign in; give another --email to add someone else' },
      { what: '--public --secret', args: ['client', 'add', '--id', 'x', '--public', '--secret', 'abcdefghijklmnopqrstuvwxyz', '--redirect-uri', 'https://x.example/cb', ...store], code: 2, message: '--public and --secret exclude each other: a public client has no secret, so drop one of them' },
      { what: 'policy', args: ['client', 'add', '--id', 'x', '--redirect-uri', 'https://x.example/cb', '--refresh-policy', 'sometimes', ...store], code: 2, message: '--refresh-policy must be reuse or rotate, not "sometimes"' },
      { what: 'ttl', args: ['client', 'add', '--id', 'x', '--redirect-uri', 'https://x.example/cb', '--refresh-ttl', '1.5', ...store], code: 2, message: '--refresh-ttl must be a whole number of seconds, not "1.5"' },
      { what: 'redirect URI', args: ['client', 'add', '--id', 'x', '--redirect-uri', 'not a uri', ...store], code: 2, message: 'redirect URI "not a uri" is not an absolute URI: correct it and run keyturn client add again (keyturn client add --help lists the rules)' },
      { what: 'remove nothing', args: ['client', 'remove', ...store], code: 2, message: 'no client named: give its id, e.g. keyturn client remove my-app (keyturn client list shows them)' },
      { what: 'remove unknown', args: ['client', 'remove', 'nobody', ...store], code: 1, message: 'no client with id nobody: check the id with keyturn client list' },
      { what: 'serve --port', args: ['serve', '--port', 'eighty', ...store], code: 2, message: 'port must be a whole number from 0 to 65535, not "eighty": fix the flag or its KEYTURN_* variable (see --help)' },
      { what: 'database', args: ['client', 'list', '--data-dir', '/dev/null/data'], code: 1, message: "could not open the database (ENOTDIR: not a directory, open '/dev/null/data/secret'): check --database and --data-dir (env KEYTURN_DATABASE_URL, KEYTURN_DATA_DIR)" },
      { what: '--profile', args: ['token', '--profile', '../etc'], code: 2, message: '--profile "../etc" is not a usable name: use at most 64 letters, digits, ".", "_" or "-"' },
      { what: '--server not a URL', args: ['login', '--npsso-stdin', '--server', 'not a url'], code: 2, message: '--server "not a url" is not a URL: give the server\'s origin, e.g. --server http://127.0.0.1:8080' },
      { what: '--server ftp', args: ['login', '--npsso-stdin', '--server', 'ftp://example.com'], code: 2, message: '--server "ftp://example.com" is not an http(s) URL: give the server\'s origin, e.g. --server http://127.0.0.1:8080' },
      { what: 'no NPSSO', args: ['login'], code: 2, message: 'no NPSSO token given: sign in at https://www.playstation.com, then copy "npsso" from https://ca.account.sony.com/api/v1/ssocookie, and pipe it to keyturn login --npsso-stdin' },
      { what: 'two NPSSOs', args: ['login', '--npsso', 'x', '--npsso-stdin'], code: 2, message: '--npsso and --npsso-stdin exclude each other: keep --npsso-stdin and pipe the token in' },
      { what: 'empty NPSSO', args: login(url), stdin: '\n', code: 2, message: `the NPSSO token is empty: sign in at ${url}/signin, then copy "npsso" from ${url}/api/v1/ssocookie, and pass that 64-character value` },
      { what: 'bad KEYTURN_VAULT_KEY', args: login(url), stdin: 'n'.repeat(64), home: envKey, env: { KEYTURN_VAULT_KEY: 'short' }, code: 2, message: `KEYTURN_VAULT_KEY is not a 32-byte key: set it to 64 hex characters or base64 (e.g. \`openssl rand -hex 32\`), or unset it to use ${path.join(envKey, 'vault.key')}` },
      { what: 'bad key file', args: login(url), stdin: 'n'.repeat(64), home: badKeyFile, code: 2, message: `${path.join(badKeyFile, 'vault.key')} does not hold a 32-byte key: delete it and sign in again with keyturn login --npsso-stdin` },
      { what: 'bad profiles.json', args: ['token'], home: badProfiles, code: 1, message: `${path.join(badProfiles, 'profiles.json')} cannot be read (not JSON): remove it and sign in again with keyturn login` },
      { what: 'undecryptable tokens', args: ['status'], home: otherKey, env: { KEYTURN_VAULT_KEY: 'ab'.repeat(32) }, code: 1, message: `the stored tokens cannot be read (ERR_VAULT_DECRYPT): sign in at ${url}/signin, then copy "npsso" from ${url}/api/v1/ssocookie, and run keyturn login --npsso-stdin` },
      { what: 'token, nothing stored', args: ['token'], home: empty, code: 1, message: `not signed in (no tokens for profile "default" in ${empty}): sign in with keyturn login --npsso-stdin` },
      { what: 'status --profile', args: ['status', '--profile', 'work'], home: empty, code: 1, message: `not signed in (no tokens for profile "work" in ${empty}): sign in with keyturn login --npsso-stdin --profile work` },
    ];
    expectMessages(cases, await Promise.all(cases.map(runCase)));
  });

  it('says in one line why `keyturn login` failed and how to fix it: wrong secret, refused NPSSO, server down', async () => {
    const npsso = await server.signIn('cli@example.com', PASSWORD);
    const cases: Case[] = [
      {
        what: 'wrong secret',
        args: login(url, '--client-secret', 'not-the-secret-0123456789'),
        stdin: npsso,
        code: 1,
        message: "the server refused the credentials of client 'cli' (invalid_client: client authentication failed): pass the secret it was registered with (`keyturn client add --id cli`) as --client-secret or KEYTURN_CLIENT_SECRET, or the right --client-id",
      },
      {
        what: 'garbage NPSSO',
        args: login(url, '--client-secret', SECRET),
        stdin: 'q'.repeat(64),
        code: 1,
        message: `the server refused the NPSSO token (expired, signed out or mistyped): sign in at ${url}/signin, then copy "npsso" from ${url}/api/v1/ssocookie, and run keyturn login --npsso-stdin --server ${url}`,
      },
      {
        what: 'server down',
        args: login(downUrl, '--client-secret', SECRET, '--profile', 'work'),
        stdin: npsso,
        code: 1,
        message: `could not reach the server at ${downUrl} (ECONNREFUSED): check that it is running and that --server names it`,
      },
    ];
    const runs = await Promise.all(cases.map(runCase));
    expectMessages(cases, runs);
    for (const run of runs) expect(run.stderr).not.toContain(npsso);
  });

  it('says an NPSSO that has expired is refused, and where to get a fresh one', async () => {
    const clock = frozenClock();
    const expiring = await startTestServer({ now: clock.now });
    try {
      await expiring.addUser('cli@example.com', PASSWORD);
      await expiring.addClient({ id: 'cli', secret: SECRET, redirectUris: [REDIRECT], scope: 'openid email' });
      const npsso = await expiring.signIn('cli@example.com', PASSWORD);
      clock.advance((expiring.kt.config.ssoTtlSec + 1) * 1000);
      const run = await runCase({ args: login(expiring.url, '--client-secret', SECRET), stdin: npsso });
      expect({ code: run.code, stderr: run.stderr }).toEqual({
        code: 1,
        stderr: `keyturn: the server refused the NPSSO token (expired, signed out or mistyped): sign in at ${expiring.url}/signin, then copy "npsso" from ${expiring.url}/api/v1/ssocookie, and run keyturn login --npsso-stdin --server ${expiring.url}\n`,
      });
    } finally {
      await expiring.close();
    }
  });

  it('names an unknown client and how to register it', async () => {
    const run = await runCase({ args: [...login(url), '--client-id', 'nobody'], stdin: 'n'.repeat(64) });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `keyturn: the server does not know client 'nobody': register it on the server with \`keyturn client add --id nobody --redirect-uri ${REDIRECT} …\` or pass the right --client-id\n`,
    );
  });

  it('names an unregistered redirect URI and the flag that fixes it', async () => {
    const run = await runCase({ args: [...login(url), '--redirect-uri', 'com.example.other://redirect'], stdin: 'n'.repeat(64) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^keyturn: the server has no redirect URI 'com\.example\.other:\/\/redirect' for client 'cli' \(.+\): pass a registered one with --redirect-uri \(`keyturn client list` on the server shows them\)\n$/,
    );
  });
});
