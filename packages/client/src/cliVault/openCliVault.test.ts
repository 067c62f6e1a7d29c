/** The CLI's vault layout: folder resolution, key from the environment or a 0600 file, entries per profile. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore } from '../stores/file.js';
import { createVault } from '../vault/createVault.js';
import { VaultError } from '../vault/errors.js';
import type { StoredTokens } from '../vault/types.js';
import { cliVaultPaths } from './cliVaultPaths.js';
import { openCliVault } from './openCliVault.js';

const tokens: StoredTokens = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.access.sig',
  accessTokenExpiresAt: '2026-11-21T10:00:00.000Z',
  refreshToken: 'refresh-token-value-abcdefghijklmnopqrstuvwxyz',
  refreshTokenExpiresAt: '2027-01-20T09:00:00.000Z',
  scope: 'openid email',
  tokenType: 'Bearer',
  obtainedAt: '2026-11-21T09:00:00.000Z',
};

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'keyturn-clivault-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('cliVaultPaths', () => {
  it('finds the folder from home, else KEYTURN_HOME, else XDG_CONFIG_HOME, else ~/.config', () => {
    expect(cliVaultPaths({ home: '/srv/a', env: { KEYTURN_HOME: '/srv/b' } }).home).toBe('/srv/a');
    expect(cliVaultPaths({ env: { KEYTURN_HOME: '/srv/b', XDG_CONFIG_HOME: '/srv/x' } })).toEqual({
      home: '/srv/b',
      keyFile: '/srv/b/vault.key',
      tokensDirectory: '/srv/b/tokens',
    });
    expect(cliVaultPaths({ env: { XDG_CONFIG_HOME: '/srv/x' } }).home).toBe('/srv/x/keyturn');
    expect(cliVaultPaths({ env: {} }).home).toBe(path.join(homedir(), '.config', 'keyturn'));
  });
});

describe('openCliVault', () => {
  it('refuses with ERR_VAULT_CONFIG, naming the key file, when nobody signed in and create is off', async () => {
    const err = await openCliVault({ home, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).code).toBe('ERR_VAULT_CONFIG');
    expect((err as VaultError).message).toContain(path.join(home, 'vault.key'));
  });

  it('creates a 0600 key file once, and a second open reads the same entries', async () => {
    const first = await openCliVault({ home, env: {}, create: true });
    await first.save('default', tokens);
    const keyFile = path.join(home, 'vault.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8');
    expect(key).toMatch(/^[0-9a-f]{64}\n$/);
    const again = await openCliVault({ home, env: {}, create: true });
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
    expect(await again.load('default')).toEqual(tokens);
  });

  it('is the documented layout: key id "cli", file store in <home>/tokens, entry named after the profile', async () => {
    const vault = await openCliVault({ home, env: {}, create: true });
    await vault.save('work', tokens);
    const secret = readFileSync(path.join(home, 'vault.key'), 'utf8').trim();
    const byHand = createVault({ store: await createFileStore({ directory: path.join(home, 'tokens') }), keys: [{ id: 'cli', secret }] });
    expect(await byHand.load('work')).toEqual(tokens);
    expect(await byHand.store.keys()).toEqual(['work']);
  });

  it('takes the key from KEYTURN_VAULT_KEY, writing no key file, and treats an empty one as unset', async () => {
    const env = { KEYTURN_HOME: home, KEYTURN_VAULT_KEY: 'ab'.repeat(32) };
    await (await openCliVault({ env, create: true })).save('default', tokens);
    expect(() => statSync(path.join(home, 'vault.key'))).toThrow();
    expect(await (await openCliVault({ env })).load('default')).toEqual(tokens);
    const unset = await openCliVault({ env: { KEYTURN_HOME: home, KEYTURN_VAULT_KEY: '' } }).catch((e: unknown) => e);
    expect((unset as VaultError).code).toBe('ERR_VAULT_CONFIG');
  });

  it('refuses a key that is not 32 bytes with ERR_VAULT_CONFIG', async () => {
    writeFileSync(path.join(home, 'vault.key'), 'short\n', { mode: 0o600 });
    const err = await openCliVault({ home, env: {} }).catch((e: unknown) => e);
    expect((err as VaultError).code).toBe('ERR_VAULT_CONFIG');
    const fromEnv = await openCliVault({ home, env: { KEYTURN_VAULT_KEY: 'short' } }).catch((e: unknown) => e);
    expect((fromEnv as VaultError).code).toBe('ERR_VAULT_CONFIG');
  });
});
