/** File-store specifics the conformance suite cannot see: permissions, crash safety, lock files on disk. */
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore } from './file.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'keyturn-file-test-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const hex = (key: string) => Buffer.from(key, 'utf8').toString('hex');

describe('createFileStore', () => {
  it('creates its folder with mode 0700 and writes every value file with mode 0600', async () => {
    const directory = join(root, 'tokens');
    const store = await createFileStore({ directory });
    await store.set('alice', 'v1');
    await store.set('alice', 'v2');
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    expect((await stat(join(directory, `${hex('alice')}.json`))).mode & 0o777).toBe(0o600);
  });

  it('keeps the old value when a write crashed before its rename (leftover temp file)', async () => {
    const store = await createFileStore({ directory: root });
    await store.set('alice', 'committed value');
    // What a process killed between write and rename leaves behind: a half-written temp file.
    await writeFile(join(root, `.99999.deadbeefdeadbeef.tmp`), '{"key":"alice","value":"half-writ', { mode: 0o600 });
    expect(await store.get('alice')).toBe('committed value');
    expect(await store.keys()).toEqual(['alice']);
    await store.set('alice', 'next value');
    expect(await store.get('alice')).toBe('next value');
  });

  it('leaves no temp file behind after a successful write', async () => {
    const store = await createFileStore({ directory: root });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set('alice', `value ${i}`)));
    expect(await readdir(root)).toEqual([`${hex('alice')}.json`]);
    expect(await store.get('alice')).toMatch(/^value \d+$/);
  });

  it('writes a lock file holding pid and expiry while fn runs, and removes it after', async () => {
    const store = await createFileStore({ directory: root });
    const lockPath = join(root, `${hex('alice')}.lock`);
    await store.withLock('alice', async () => {
      const record = JSON.parse(await readFile(lockPath, 'utf8')) as { pid: number; expiresAt: number; token: string };
      expect(record.pid).toBe(process.pid);
      expect(record.expiresAt).toBeGreaterThan(Date.now());
      expect(record.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect((await stat(lockPath)).mode & 0o777).toBe(0o600);
    });
    await expect(stat(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over a lock file left by a dead process once it has expired', async () => {
    const store = await createFileStore({ directory: root });
    await writeFile(join(root, `${hex('alice')}.lock`), JSON.stringify({ pid: 999999, host: 'gone', token: 't', expiresAt: Date.now() - 1 }));
    expect(await store.withLock('alice', async () => 'ours', { waitMs: 500 })).toBe('ours');
  });

  it('takes over an empty lock file (holder died mid-create) once it is older than the ttl', async () => {
    const store = await createFileStore({ directory: root });
    const lockPath = join(root, `${hex('alice')}.lock`);
    await writeFile(lockPath, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath, old, old);
    expect(await store.withLock('alice', async () => 'ours', { ttlMs: 1_000, waitMs: 500 })).toBe('ours');
  });

  it('waits for an unexpired lock file of another process instead of taking it', async () => {
    const store = await createFileStore({ directory: root });
    await writeFile(join(root, `${hex('alice')}.lock`), JSON.stringify({ pid: 1, host: 'h', token: 't', expiresAt: Date.now() + 60_000 }));
    await expect(store.withLock('alice', async () => 'no', { waitMs: 100 })).rejects.toMatchObject({ code: 'ERR_LOCK_TIMEOUT' });
  });

  it('reports a value file that is not its JSON as ERR_STORE_CORRUPT', async () => {
    const store = await createFileStore({ directory: root });
    await writeFile(join(root, `${hex('alice')}.json`), 'garbage');
    await expect(store.get('alice')).rejects.toMatchObject({ code: 'ERR_STORE_CORRUPT' });
  });
});
