/** Cross-process locks as O_EXCL lock files holding pid, token and expiry, with stale-lock takeover. */
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { LockBackend } from './pollLock.js';

/** A takeover guard older than this belongs to a process that died mid-takeover. */
const GUARD_STALE_MS = 10_000;

interface LockRecord {
  pid: number;
  host: string;
  token: string;
  expiresAt: number;
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

async function createExclusive(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (err) {
    if (isErrno(err, 'EEXIST')) return false;
    throw err;
  }
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
  return true;
}

async function readRecord(path: string): Promise<LockRecord | null | 'missing'> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockRecord>;
    return typeof parsed.token === 'string' && typeof parsed.expiresAt === 'number' ? (parsed as LockRecord) : null;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return 'missing';
    return null; // empty or half-written: its holder died between create and write
  }
}

/** True when the lock at `path` may be taken over: expired, or unreadable and older than `ttlMs`. */
async function isStale(path: string, ttlMs: number): Promise<boolean> {
  const record = await readRecord(path);
  if (record === 'missing') return false; // freed meanwhile: the normal path will take it
  if (record) return record.expiresAt <= Date.now();
  const info = await stat(path).catch(() => null);
  return info !== null && info.mtimeMs + ttlMs <= Date.now();
}

/**
 * Lock backend over files named by `lockPath(key)`. A stale lock is removed only while holding a
 * second O_EXCL guard file (`<lock>.takeover`) and after re-checking it is still stale, so two
 * waiters cannot both remove it and both believe they won.
 *
 * @example
 * ```ts
 * const backend = fileLockBackend((key) => join(directory, `${hex(key)}.lock`));
 * await withPolledLock(backend, 'alice', fn);
 * ```
 */
export function fileLockBackend(lockPath: (key: string) => string): LockBackend {
  return {
    async tryAcquire(key, token, ttlMs) {
      const path = lockPath(key);
      const record: LockRecord = { pid: process.pid, host: hostname(), token, expiresAt: Date.now() + ttlMs };
      const content = JSON.stringify(record);
      if (await createExclusive(path, content)) return true;
      if (!(await isStale(path, ttlMs))) return false;

      const guard = `${path}.takeover`;
      if (!(await createExclusive(guard, String(process.pid)))) {
        const info = await stat(guard).catch(() => null);
        if (info && info.mtimeMs + GUARD_STALE_MS <= Date.now()) await unlink(guard).catch(() => undefined);
        return false;
      }
      try {
        if (!(await isStale(path, ttlMs))) return false;
        await unlink(path).catch((err: unknown) => {
          if (!isErrno(err, 'ENOENT')) throw err;
        });
        record.expiresAt = Date.now() + ttlMs;
        return await createExclusive(path, JSON.stringify(record));
      } finally {
        await unlink(guard).catch(() => undefined);
      }
    },
    async release(key, token) {
      const path = lockPath(key);
      const record = await readRecord(path);
      if (record && record !== 'missing' && record.token === token) await unlink(path);
    },
  };
}
