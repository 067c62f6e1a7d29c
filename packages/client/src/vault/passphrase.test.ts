/** Passphrase keys: argon2id at OWASP cost, deterministic across processes, derived once per process. */
import { describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../stores/memory.js';
import { createVault } from './createVault.js';
import { defaultSalt } from './lib/deriveKey.js';
import type { StoredTokens } from './types.js';

// Wrap the real argon2 so the test can count derivations; the vault imports it dynamically.
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...real, hashRaw: vi.fn(real.hashRaw) };
});
const argon2 = await import('@node-rs/argon2');
const hashRaw = vi.mocked(argon2.hashRaw);

const tokens: StoredTokens = {
  accessToken: 'access-from-passphrase-test',
  accessTokenExpiresAt: '2026-11-21T10:00:00.000Z',
  refreshToken: 'refresh-from-passphrase-test',
  refreshTokenExpiresAt: '2027-01-20T09:00:00.000Z',
  scope: 'psn:mobile.v2.core',
  tokenType: 'bearer',
  obtainedAt: '2026-11-21T09:00:00.000Z',
};

describe('a vault keyed by a passphrase', () => {
  it('derives the same key in two vaults, so one reads what the other wrote, with argon2id at OWASP cost, once', async () => {
    hashRaw.mockClear();
    const store = createMemoryStore();
    const first = createVault({ store, passphrase: 'correct horse battery staple' });
    const second = createVault({ store, passphrase: 'correct horse battery staple' });
    await Promise.all([first.save('alice', tokens), second.load('nobody'), first.load('nobody')]);
    expect(await second.load('alice')).toEqual(tokens);
    await first.save('bob', tokens);

    expect(hashRaw).toHaveBeenCalledTimes(1);
    const options = hashRaw.mock.calls[0]?.[1];
    expect(options).toMatchObject({ algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 });
    expect(options?.salt?.length).toBe(16);
    expect(await store.get('alice')).toMatch(/^kt1\.p1\./);
  });

  it('derives exactly argon2id(passphrase, default salt), so another process computes the same key', async () => {
    const store = createMemoryStore();
    await createVault({ store, passphrase: 'shared between machines' }).save('alice', tokens);
    const real = await vi.importActual<typeof import('@node-rs/argon2')>('@node-rs/argon2');
    const expected = await real.hashRaw('shared between machines', {
      algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32, salt: defaultSalt('p1'),
    });
    expect(await createVault({ store, keys: [{ id: 'p1', secret: expected }] }).load('alice')).toEqual(tokens);
  });

  it('cannot read entries with another passphrase', async () => {
    const store = createMemoryStore();
    await createVault({ store, passphrase: 'passphrase one' }).save('alice', tokens);
    await expect(createVault({ store, passphrase: 'passphrase two' }).load('alice')).rejects.toMatchObject({ code: 'ERR_VAULT_DECRYPT' });
  });

  it('derives a different key with a custom salt', async () => {
    const store = createMemoryStore();
    await createVault({ store, keys: [{ id: 'p1', passphrase: 'same words', salt: 'deployment-salt-0001' }] }).save('alice', tokens);
    await expect(createVault({ store, passphrase: 'same words' }).load('alice')).rejects.toMatchObject({ code: 'ERR_VAULT_DECRYPT' });
    expect(await createVault({ store, keys: [{ id: 'p1', passphrase: 'same words', salt: 'deployment-salt-0001' }] }).load('alice')).toEqual(tokens);
  });

  it('refuses a salt shorter than 16 bytes', async () => {
    const vault = createVault({ store: createMemoryStore(), keys: [{ id: 'p1', passphrase: 'words', salt: 'short' }] });
    await expect(vault.save('alice', tokens)).rejects.toMatchObject({ code: 'ERR_VAULT_CONFIG' });
  });

  it('rotates from a passphrase key to a secret key', async () => {
    const store = createMemoryStore();
    await createVault({ store, passphrase: 'old passphrase' }).save('alice', tokens);
    const secret = Buffer.alloc(32, 7);
    const both = createVault({ store, keys: [{ id: 's1', secret }, { id: 'p1', passphrase: 'old passphrase' }] });
    expect(await both.rotate()).toEqual({ rotated: 1, unchanged: 0, skipped: 0 });
    expect(await createVault({ store, keys: [{ id: 's1', secret }] }).load('alice')).toEqual(tokens);
  });
});
