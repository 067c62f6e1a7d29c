/** Naming a database or Redis in a message without its password. */

/**
 * `postgres://keyturn:s3cret@db/keyturn` → `postgres://keyturn:***@db/keyturn`; a SQLite path
 * (or anything that is not a URL) comes back unchanged.
 *
 * @example
 * ```ts
 * withoutPassword('redis://:hunter2@cache:6379'); // 'redis://:***@cache:6379'
 * ```
 */
export function withoutPassword(target: string, mask = '***'): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return target;
  try {
    const url = new URL(target);
    if (url.password === '') return target;
    // Set a plain marker and swap it afterwards: URL would percent-encode a mask like `<password>`.
    url.password = 'KEYTURNMASK';
    return url.toString().replace(':KEYTURNMASK@', `:${mask}@`);
  } catch {
    return target.replace(/\/\/[^@/]*@/, `//${mask}@`);
  }
}
