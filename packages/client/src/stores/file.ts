/** The file `TokenStore` (`@keyturn/client/stores/file`): one 0600 file per key in a 0700 folder, no dependency. */
import { chmod, mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StoreError } from '../vault/errors.js';
import type { TokenStore } from '../vault/types.js';
import { atomicWrite, fsyncDirectory } from './lib/atomicWrite.js';
import { fileLockBackend } from './lib/fileLock.js';
import { withPolledLock } from './lib/pollLock.js';
import { validateKey } from './lib/validateKey.js';

/**
 * Options of {@link createFileStore}.
 *
 * @example
 * ```ts
 * const options: FileStoreOptions = { directory: '/var/lib/my-app/tokens' };
 * ```
 */
export interface FileStoreOptions {
  /** Folder for this store; created with mode 0700 if missing. Two stores are isolated by folder. */
  directory: string;
}

const VALUE_SUFFIX = '.json';
const LOCK_SUFFIX = '.lock';

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/**
 * Opens a store that keeps each key in `<directory>/<hex(key)>.json` (`{"key","value"}`; hex so
 * names stay distinct on case-insensitive file systems).
 * Writes are atomic (temp file + fsync + rename + folder fsync), files are 0600. `withLock` uses an
 * O_EXCL lock file `<hex(key)>.lock` with pid, host, token and expiry; a lock whose holder
 * crashed is taken over once its ttl has passed, so it works across processes on one machine
 * (and on network file systems with working O_EXCL, given synchronised clocks).
 *
 * @example
 * ```ts
 * import { createFileStore } from '@keyturn/client/stores/file';
 * import { createVault } from '@keyturn/client';
 *
 * const store = await createFileStore({ directory: `${os.homedir()}/.config/my-app/tokens` });
 * const vault = createVault({ store, passphrase: process.env.MY_APP_PASSPHRASE! });
 * ```
 */
export async function createFileStore(options: FileStoreOptions): Promise<TokenStore> {
  if (!options || typeof options.directory !== 'string' || options.directory.length === 0) {
    throw new StoreError('ERR_STORE_CONFIG', 'createFileStore needs a directory');
  }
  const directory = resolve(options.directory);
  const created = await mkdir(directory, { recursive: true, mode: 0o700 });
  // mkdir's mode is filtered by the umask; the folder it just made is ours to tighten.
  if (created !== undefined) await chmod(directory, 0o700);

  const encode = (key: string) => Buffer.from(key, 'utf8').toString('hex');
  const valuePath = (key: string) => join(directory, encode(key) + VALUE_SUFFIX);
  const backend = fileLockBackend((key) => join(directory, encode(key) + LOCK_SUFFIX));

  return {
    async get(key) {
      validateKey(key);
      let text: string;
      try {
        text = await readFile(valuePath(key), 'utf8');
      } catch (err) {
        if (isErrno(err, 'ENOENT')) return null;
        throw err;
      }
      try {
        const parsed = JSON.parse(text) as { value?: unknown };
        if (typeof parsed.value === 'string') return parsed.value;
      } catch {
        // fall through to the typed error
      }
      throw new StoreError('ERR_STORE_CORRUPT', `The file for key "${key}" cannot be read back`);
    },
    async set(key, value) {
      validateKey(key);
      await atomicWrite(valuePath(key), JSON.stringify({ key, value }));
    },
    async delete(key) {
      validateKey(key);
      try {
        await unlink(valuePath(key));
      } catch (err) {
        if (isErrno(err, 'ENOENT')) return;
        throw err;
      }
      await fsyncDirectory(directory);
    },
    async keys() {
      const names = await readdir(directory);
      return names
        .filter((name) => /^(?:[0-9a-f]{2})+\.json$/.test(name))
        .map((name) => Buffer.from(name.slice(0, -VALUE_SUFFIX.length), 'hex').toString('utf8'));
    },
    async withLock(key, fn, lockOptions) {
      validateKey(key);
      return withPolledLock(backend, key, fn, lockOptions);
    },
    async close() {},
  };
}
