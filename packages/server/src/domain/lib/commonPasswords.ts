/**
 * The list of common and breached passwords the password rules check against: zxcvbn-ts's
 * common list (about 49,000 passwords from breach corpora, most used first), shipped inside
 * the npm package and read offline. Loaded once, on first use, so commands that never check a
 * password never pay for it.
 */
let list: Promise<ReadonlySet<string>> | undefined;

/**
 * Whether `password` (compared in lower case, as the list is) is on the common-password list.
 *
 * @example
 * ```ts
 * await isCommonPassword('Password1'); // true
 * ```
 */
export async function isCommonPassword(password: string): Promise<boolean> {
  list ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => new Set(dictionary['passwords-common']));
  return (await list).has(password.toLowerCase());
}
