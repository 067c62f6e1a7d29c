/** The vault: envelope round-trip, tamper and swap detection, key rotation, plaintext mode, errors. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../stores/memory.js';
import { createVault } from './createVault.js';
import { VaultError } from './errors.js';
import type { StoredTokens } from './types.js';

const tokens: StoredTokens = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.access-token-value-1234567890',
  accessTokenExpiresAt: '2026-11-21T10:00:00.000Z',
  refreshToken: 'refresh-token-value-abcdefghijklmnopqrstuvwxyz',
  refreshTokenExpiresAt: '2027-01-20T09:00:00.000Z',
  idToken: 'eyJhbGciOiJSUzI1NiJ9.id-token-value',
  scope: 'psn:mobile.v2.core psn:clientapp',
  tokenType: 'bearer',
  obtainedAt: '2026-11-21T09:00:00.000Z',
};

const keyA = randomBytes(32);
const keyB = randomBytes(32);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(VaultError);
    return (err as VaultError).code;
  }
  throw new Error('expected a VaultError, got success');
}

describe('createVault', () => {
  it('saves and loads tokens unchanged', async () => {
    const vault = createVault({ store: createMemoryStore(), keys: [{ id: 'a', secret: keyA }] });
    expect(await vault.save('alice', tokens)).toBe(true);
    expect(await vault.load('alice')).toEqual(tokens);
  });

  it('answers null for a name that was never saved and after delete', async () => {
    const vault = createVault({ store: createMemoryStore(), keys: [{ id: 'a', secret: keyA }] });
    expect(await vault.load('nobody')).toBeNull();
    await vault.save('alice', tokens);
    await vault.delete('alice');
    expect(await vault.load('alice')).toBeNull();
  });

  it('writes a kt1 envelope that contains no token in any readable form', async () => {
    const store = createMemoryStore();
    const vault = createVault({ store, keys: [{ id: 'a', secret: keyA }] });
    await vault.save('alice', tokens);
    const blob = (await store.get('alice')) as string;
    expect(blob).toMatch(/^kt1\.a\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    for (const secret of [tokens.accessToken, tokens.refreshToken, 'refresh-token-value', 'access-token-value']) {
      expect(blob).not.toContain(secret);
      expect(Buffer.from(blob.split('.')[3] as string, 'base64url').toString('latin1')).not.toContain(secret);
    }
  });

  it('uses a fresh nonce for every save, so equal tokens give different blobs', async () => {
    const store = createMemoryStore();
    const vault = createVault({ store, keys: [{ id: 'a', secret: keyA }] });
    await vault.save('alice', tokens);
    const first = await store.get('alice');
    await vault.save('alice', tokens);
    expect(await store.get('alice')).not.toBe(first);
  });

  it('accepts the secret as hex, base64 and base64url and they are the same key', async () => {
    const store = createMemoryStore();
    await createVault({ store, keys: [{ id: 'a', secret: keyA.toString('hex') }] }).save('alice', tokens);
    expect(await createVault({ store, keys: [{ id: 'a', secret: keyA.toString('base64') }] }).load('alice')).toEqual(tokens);
    expect(await createVault({ store, keys: [{ id: 'a', secret: keyA.toString('base64url') }] }).load('alice')).toEqual(tokens);
  });

  it('refuses a secret that is not 32 bytes, without echoing it', () => {
    const secret = 'not-a-32-byte-secret-hunter2';
    try {
      createVault({ store: createMemoryStore(), keys: [{ id: 'a', secret }] });
      expect.unreachable();
    } catch (err) {
      expect((err as VaultError).code).toBe('ERR_VAULT_CONFIG');
      expect((err as VaultError).message).not.toContain('hunter2');
    }
    expect(() => createVault({ store: createMemoryStore(), keys: [{ id: 'a', secret: randomBytes(16) }] })).toThrow(VaultError);
  });

  it('refuses to start without a key unless unsafePlaintext is set', () => {
    expect(() => createVault({ store: createMemoryStore() })).toThrow(/keys or a passphrase/);
    expect(() => createVault({ store: createMemoryStore(), keys: [] })).toThrow(VaultError);
  });

  it('refuses duplicate and malformed key ids', () => {
    expect(() => createVault({ store: createMemoryStore(), keys: [{ id: 'a', secret: keyA }, { id: 'a', secret: keyB }] })).toThrow(/twice/);
    expect(() => createVault({ store: createMemoryStore(), keys: [{ id: 'a.b', secret: keyA }] })).toThrow(VaultError);
  });

  it('detects a flipped byte anywhere in the ciphertext or tag as ERR_VAULT_DECRYPT', async () => {
    const store = createMemoryStore();
    const vault = createVault({ store, keys: [{ id: 'a', secret: keyA }] });
    await vault.save('alice', tokens);
    const blob = (await store.get('alice')) as string;
    const [version, id, nonce, body] = blob.split('.') as [string, string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    for (const index of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[index] = (tampered[index] as number) ^ 0x01;
      await store.set('alice', [version, id, nonce, tampered.toString('base64url')].join('.'));
      expect(await codeOf(vault.load('alice'))).toBe('ERR_VAULT_DECRYPT');
    }
    const nonceBytes = Buffer.from(nonce, 'base64url');
    nonceBytes[0] = (nonceBytes[0] as number) ^ 0x80;
    await store.set('alice', [version, id, nonceBytes.toString('base64url'), body].join('.'));
    expect(await codeOf(vault.load('alice'))).toBe('ERR_VAULT_DECRYPT');
  });

  it('fails to decrypt a blob copied to another name (the name is bound as AAD)', async () => {
    const store = createMemoryStore();
    const vault = createVault({ store, keys: [{ id: 'a', secret: keyA }] });
    await vault.save('alice', tokens);
    await store.set('mallory', (await store.get('alice')) as string);
    expect(await codeOf(vault.load('mallory'))).toBe('ERR_VAULT_DECRYPT');
  });

  it('fails with ERR_VAULT_DECRYPT when the key id is right but the key is wrong', async () => {
    const store = createMemoryStore();
    await createVault({ store, keys: [{ id: 'a', secret: keyA }] }).save('alice', tokens);
    expect(await codeOf(createVault({ store, keys: [{ id: 'a', secret: keyB }] }).load('alice'))).toBe('ERR_VAULT_DECRYPT');
  });

  it('fails with ERR_VAULT_UNKNOWN_KEY for a blob of a key it does not have', async () => {
    const store = createMemoryStore();
    await createVault({ store, keys: [{ id: 'old', secret: keyA }] }).save('alice', tokens);
    expect(await codeOf(createVault({ store, keys: [{ id: 'new', secret: keyB }] }).load('alice'))).toBe('ERR_VAULT_UNKNOWN_KEY');
  });

  it('fails with ERR_VAULT_CORRUPT for something that is not an envelope', async () => {
    const store = createMemoryStore();
    const vault = createVault({ store, keys: [{ id: 'a', secret: keyA }] });
    for (const junk of ['hello', 'kt1.a.abc', 'kt1.a.!!!!.????', 'kt9.a.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA', 'kt1.a.AAAA.AAAAAAAAAAAAAAAAAAAAAA']) {
      await store.set('alice', junk);
      expect(await codeOf(vault.load('alice'))).toBe('ERR_VAULT_CORRUPT');
    }
  });

  it('keeps old keys readable, rotate re-encrypts with the new key, and then the old key can go', async () => {
    const store = createMemoryStore();
    const old = createVault({ store, keys: [{ id: 'k1', secret: keyA }] });
    await old.save('alice', tokens);
    await old.save('bob', { ...tokens, accessToken: 'bob-access' });

    const both = createVault({ store, keys: [{ id: 'k2', secret: keyB }, { id: 'k1', secret: keyA }] });
    expect(await both.load('alice')).toEqual(tokens);
    await both.save('carol', tokens);
    expect(await store.get('carol')).toMatch(/^kt1\.k2\./);

    expect(await both.rotate()).toEqual({ rotated: 2, unchanged: 1, skipped: 0 });
    for (const name of ['alice', 'bob', 'carol']) expect(await store.get(name)).toMatch(/^kt1\.k2\./);

    const onlyNew = createVault({ store, keys: [{ id: 'k2', secret: keyB }] });
    expect(await onlyNew.load('alice')).toEqual(tokens);
    expect((await onlyNew.load('bob'))?.accessToken).toBe('bob-access');
    expect(await onlyNew.rotate()).toEqual({ rotated: 0, unchanged: 3, skipped: 0 });
  });

  it('lets currentKeyId keep an older key encrypting while a new one is rolled out', async () => {
    const store = createMemoryStore();
    const vault = createVault({ store, keys: [{ id: 'k2', secret: keyB }, { id: 'k1', secret: keyA }], currentKeyId: 'k1' });
    await vault.save('alice', tokens);
    expect(await store.get('alice')).toMatch(/^kt1\.k1\./);
    expect(() => createVault({ store, keys: [{ id: 'k1', secret: keyA }], currentKeyId: 'k9' })).toThrow(/currentKeyId/);
  });

  it('rotate leaves values that are not vault blobs alone', async () => {
    const store = createMemoryStore();
    await store.set('foreign', 'someone else’s data');
    const vault = createVault({ store, keys: [{ id: 'a', secret: keyA }] });
    await vault.save('alice', tokens);
    expect(await vault.rotate()).toEqual({ rotated: 0, unchanged: 1, skipped: 1 });
    expect(await store.get('foreign')).toBe('someone else’s data');
  });

  it('stores tokens readable under unsafePlaintext, and an encrypting vault refuses to read them', async () => {
    const store = createMemoryStore();
    const plain = createVault({ store, unsafePlaintext: true });
    await plain.save('alice', tokens);
    const blob = (await store.get('alice')) as string;
    expect(blob.startsWith('kt0.')).toBe(true);
    expect(blob).toContain(tokens.refreshToken);
    expect(await plain.load('alice')).toEqual(tokens);

    expect(await codeOf(createVault({ store, keys: [{ id: 'a', secret: keyA }] }).load('alice'))).toBe('ERR_VAULT_PLAINTEXT_REFUSED');
  });

  it('migrates plaintext entries to encrypted ones with unsafePlaintext plus a key and rotate()', async () => {
    const store = createMemoryStore();
    await createVault({ store, unsafePlaintext: true }).save('alice', tokens);
    const migrating = createVault({ store, keys: [{ id: 'a', secret: keyA }], unsafePlaintext: true });
    expect(await migrating.rotate()).toEqual({ rotated: 1, unchanged: 0, skipped: 0 });
    const blob = (await store.get('alice')) as string;
    expect(blob).toMatch(/^kt1\.a\./);
    expect(blob).not.toContain(tokens.refreshToken);
    expect(await createVault({ store, keys: [{ id: 'a', secret: keyA }] }).load('alice')).toEqual(tokens);
  });

  it('does not let an older save overwrite newer tokens', async () => {
    const vault = createVault({ store: createMemoryStore(), keys: [{ id: 'a', secret: keyA }] });
    const newer = { ...tokens, accessToken: 'newer', obtainedAt: '2026-11-21T09:30:00.000Z' };
    await vault.save('alice', newer);
    expect(await vault.save('alice', tokens)).toBe(false);
    expect((await vault.load('alice'))?.accessToken).toBe('newer');
  });

  it('replaces an unreadable entry on save instead of getting stuck', async () => {
    const store = createMemoryStore();
    const vault = createVault({ store, keys: [{ id: 'a', secret: keyA }] });
    await store.set('alice', 'kt1.a.garbage');
    expect(await vault.save('alice', tokens)).toBe(true);
    expect(await vault.load('alice')).toEqual(tokens);
  });

  it('rejects a decrypted value that is not StoredTokens as ERR_VAULT_CORRUPT', async () => {
    const store = createMemoryStore();
    const vault = createVault({ store, unsafePlaintext: true });
    await store.set('alice', 'kt0.{"accessToken":1}');
    expect(await codeOf(vault.load('alice'))).toBe('ERR_VAULT_CORRUPT');
  });

  it('never puts key bytes or token values into error messages', async () => {
    const store = createMemoryStore();
    const vault = createVault({ store, keys: [{ id: 'a', secret: keyA }] });
    await vault.save('alice', tokens);
    await store.set('bob', (await store.get('alice')) as string);
    try {
      await vault.load('bob');
      expect.unreachable();
    } catch (err) {
      const text = `${(err as Error).message} ${String((err as Error).stack)}`;
      expect(text).not.toContain(keyA.toString('hex'));
      expect(text).not.toContain(keyA.toString('base64'));
      expect(text).not.toContain(tokens.accessToken);
    }
  });

  it('runs withLock through the store', async () => {
    const vault = createVault({ store: createMemoryStore(), keys: [{ id: 'a', secret: keyA }] });
    expect(await vault.withLock('alice', async () => 42)).toBe(42);
  });
});
