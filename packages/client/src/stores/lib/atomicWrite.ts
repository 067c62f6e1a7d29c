/** Crash-safe file replacement for the file store: temp file, fsync, rename, fsync of the folder. */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Suffix of in-flight temp files; readers ignore them, so a crash mid-write leaves the old value.
 *
 * @example
 * ```ts
 * names.filter((name) => !name.endsWith(TEMP_SUFFIX));
 * ```
 */
export const TEMP_SUFFIX = '.tmp';

/**
 * Flushes a folder's entry table so a rename or unlink survives power loss (a no-op where unsupported).
 *
 * @example
 * ```ts
 * await unlink(path);
 * await fsyncDirectory(dirname(path));
 * ```
 */
export async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `content` (mode 0600) so a reader sees the old or the new file, never a
 * mix: the content goes to a unique temp file in the same folder, is fsynced, then renamed over.
 *
 * @example
 * ```ts
 * await atomicWrite('/var/lib/app/tokens/616c696365.json', JSON.stringify({ key: 'alice', value }));
 * ```
 */
export async function atomicWrite(path: string, content: string): Promise<void> {
  const directory = dirname(path);
  // Short on purpose: the final name may already be near the 255-byte limit.
  const temp = join(directory, `.${process.pid}.${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await fsyncDirectory(directory);
}
