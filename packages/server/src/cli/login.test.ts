/** `keyturn login | token | status` against the real server, with KEYTURN_HOME in a temp folder. */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openCliVault } from '@keyturn/client';
import { freshKeyturnHome, runKeyturn } from '../test-support/cliInProcess.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { countdown } from './lib/format.js';
import { keyturnHome } from './lib/home.js';

let server: TestServer;
let home: string;
let userId: string;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  server = await startTestServer();
  userId = (await server.addUser('cli@example.com', PASSWORD)).id;
  await server.addClient({ id: 'cli', secret: 'cli-secret-0123456789', redirectUris: ['com.example.cli://redirect'], scope: 'openid profile email', refreshPolicy: 'rotate' });
});

afterAll(async () => {
  await server?.close();
});

beforeEach(() => {
  const fresh = freshKeyturnHome('keyturn-cli-');
  home = fresh.home;
  return fresh.remove;
});

const run = runKeyturn;

function serverFlags(): string[] {
  return ['--server', server.url, '--client-id', 'cli', '--client-secret', 'cli-secret-0123456789', '--redirect-uri', 'com.example.cli://redirect', '--scope', 'openid email'];
}

describe('keyturn login / token / status', () => {
  it('signs in with --npsso, stores tokens encrypted with a 0600 key file, and prints no token', async () => {
    const npsso = await server.signIn('cli@example.com', PASSWORD);
    const login = await run('login', '--npsso', npsso, ...serverFlags());
    expect(login.err).toBe('');
    expect(login.code).toBe(0);
    expect(login.out).toContain('Signed in as cli@example.com (profile "default"');
    expect(login.out).not.toContain(npsso);
    expect(statSync(path.join(home, 'vault.key')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(home, 'profiles.json')).mode & 0o777).toBe(0o600);
    const token = await run('token');
    expect(token.code).toBe(0);
    expect(token.out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(login.out).not.toContain(token.out.trim());
    const status = await run('status');
    expect(status.code).toBe(0);
    expect(status.out).toContain(`Signed in as:  ${userId} cli@example.com`);
    expect(status.out).toContain('Scopes:        openid email');
    expect(status.out).toMatch(/Access token: {2}expires in 5\d min/);
    expect(status.out).toMatch(/Refresh token: expires in (59 days|60 days)/);
    expect(status.out).toMatch(/Sign in again: before \d{4}-\d\d-\d\d/);
    expect(status.out).not.toContain(token.out.trim());
    for (const file of ['profiles.json']) expect(readFileSync(path.join(home, file), 'utf8')).not.toContain(token.out.trim());
  });

  it('names the person by subject when the email scope was not granted', async () => {
    const npsso = await server.signIn('cli@example.com', PASSWORD);
    const flags = [...serverFlags().slice(0, -1), 'openid'];
    const login = await run('login', '--npsso', npsso, ...flags);
    expect(login.code).toBe(0);
    expect(login.out).toContain(`Signed in as ${userId} (profile "default"`);
    expect(login.out).not.toContain('cli@example.com');
  });

  it('saves the tokens where openCliVault() finds them, so a program can use the sign-in', async () => {
    const npsso = await server.signIn('cli@example.com', PASSWORD);
    expect((await run('login', '--npsso', npsso, '--profile', 'bot', ...serverFlags())).code).toBe(0);
    const token = (await run('token', '--profile', 'bot')).out.trim();
    const stored = await (await openCliVault()).load('bot');
    expect(stored?.accessToken).toBe(token);
    expect(stored?.scope).toBe('openid email');
    expect(stored?.refreshToken).toMatch(/^[\w-]{20,}$/);
  });

  it('never writes a client secret that came from KEYTURN_CLIENT_SECRET to disk', async () => {
    process.env.KEYTURN_CLIENT_SECRET = 'cli-secret-0123456789';
    const flags = serverFlags().filter((f, i, all) => f !== '--client-secret' && all[i - 1] !== '--client-secret');
    const npsso = await server.signIn('cli@example.com', PASSWORD);
    const login = await run('login', '--npsso', npsso, ...flags);
    expect(login.code).toBe(0);
    const profiles = readFileSync(path.join(home, 'profiles.json'), 'utf8');
    expect(profiles).toContain('"clientId": "cli"');
    expect(profiles).not.toContain('cli-secret-0123456789');
    const token = await run('token');
    expect(token.code).toBe(0);
    expect(token.out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it('keeps a secret given with --client-secret in the 0600 profile, so later commands need no flags', async () => {
    const npsso = await server.signIn('cli@example.com', PASSWORD);
    expect((await run('login', '--npsso', npsso, ...serverFlags())).code).toBe(0);
    expect(readFileSync(path.join(home, 'profiles.json'), 'utf8')).toContain('cli-secret-0123456789');
  });

  it('reads the NPSSO from standard input with --npsso-stdin and honours KEYTURN_VAULT_KEY', async () => {
    process.env.KEYTURN_VAULT_KEY = 'cd'.repeat(32);
    const npsso = await server.signIn('cli@example.com', PASSWORD);
    const original = process.stdin;
    Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(`${npsso}\n`)]), configurable: true });
    try {
      const login = await run('login', '--npsso-stdin', '--profile', 'work', ...serverFlags());
      expect(login.err).toBe('');
      expect(login.code).toBe(0);
    } finally {
      Object.defineProperty(process, 'stdin', { value: original, configurable: true });
    }
    expect(() => statSync(path.join(home, 'vault.key'))).toThrow();
    expect((await run('token', '--profile', 'work')).code).toBe(0);
    delete process.env.KEYTURN_VAULT_KEY;
    const withoutKey = await run('token', '--profile', 'work');
    expect(withoutKey.code).toBe(1);
    expect(withoutKey.out).toBe('');
  });

  it('exits 2 on bad flags', async () => {
    expect((await run('login')).code).toBe(2);
    expect((await run('login', '--npsso', 'x', '--npsso-stdin')).code).toBe(2);
    expect((await run('login', '--npsso', 'x', '--server', 'not a url')).code).toBe(2);
    expect((await run('token', '--profile', '../etc')).code).toBe(2);
    expect((await run('token', '--no-such-flag')).code).toBe(2);
    process.env.KEYTURN_VAULT_KEY = 'short';
    const bad = await run('login', '--npsso', 'n'.repeat(64), ...serverFlags());
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('KEYTURN_VAULT_KEY');
  });

  it('says how to sign in when nothing is stored, and exits 1', async () => {
    const token = await run('token');
    expect(token.code).toBe(1);
    expect(token.out).toBe('');
    expect(token.err).toContain('keyturn login --npsso-stdin');
    expect((await run('status')).code).toBe(1);
  });

  it('reports a refused NPSSO clearly without echoing it', async () => {
    const bad = 'q'.repeat(64);
    const res = await run('login', '--npsso', bad, ...serverFlags());
    expect(res.code).toBe(1);
    expect(res.err).toContain('NPSSO');
    expect(res.err).not.toContain(bad);
  });

  it('refreshes through the stored rotated refresh token when the access token is due', async () => {
    const npsso = await server.signIn('cli@example.com', PASSWORD);
    expect((await run('login', '--npsso', npsso, ...serverFlags())).code).toBe(0);
    const first = (await run('token')).out;
    // Make the stored access token due by moving our clock forward one hour.
    const realNow = Date.now;
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 3_600_000);
    try {
      const second = await run('token');
      expect(second.code).toBe(0);
      expect(second.out).not.toBe(first);
      const third = await run('token');
      expect(third.out).toBe(second.out);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('client CLI helpers', () => {
  it('finds the home under KEYTURN_HOME, else XDG_CONFIG_HOME, else ~/.config', () => {
    expect(keyturnHome({ KEYTURN_HOME: '/tmp/kh' })).toBe('/tmp/kh');
    expect(keyturnHome({ XDG_CONFIG_HOME: '/tmp/xdg' })).toBe('/tmp/xdg/keyturn');
    expect(keyturnHome({})).toMatch(/\/\.config\/keyturn$/);
  });

  it('formats countdowns', () => {
    expect(countdown(59 * 60_000 + 12_000)).toBe('in 59 min 12 s');
    expect(countdown(59 * 86_400_000 + 23 * 3_600_000)).toBe('in 59 days 23 h');
    expect(countdown(-3 * 60_000)).toBe('3 min 0 s ago');
  });
});
