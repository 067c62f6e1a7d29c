/** Reading a new password for `user add` and `user set-password`: only from standard input, never empty. */
import { CliError } from './errors.js';
import { readStdin } from './readStdin.js';

/**
 * The password piped in on standard input (one trailing newline dropped). Throws a usage
 * error naming `example` when `--password-stdin` is missing or nothing came in.
 *
 * @example
 * ```ts
 * const password = await readPassword(flags.passwordStdin, `printf '%s' "$PASSWORD" | keyturn user add --email E --password-stdin`);
 * ```
 */
export async function readPassword(passwordStdin: boolean | undefined, example: string): Promise<string> {
  if (!passwordStdin) throw new CliError(`no password given: give the password on standard input with --password-stdin, e.g. ${example}`, 2);
  const password = (await readStdin()).replace(/\r?\n$/, '');
  if (password === '') throw new CliError(`no password on standard input: pipe it in, e.g. ${example}`, 2);
  return password;
}
