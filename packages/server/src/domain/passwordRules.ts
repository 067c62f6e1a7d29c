/**
 * The password rules, after NIST SP 800-63B (5.1.1.2): at least 8 characters (12 recommended),
 * at most 1,024, any characters at all, no composition rules; refused when it is a common or
 * breached password, one character or a short pattern repeated, a plain sequence, or the
 * person's own email name or the service's name. Each refusal says why.
 */
import { isCommonPassword } from './lib/commonPasswords.js';

export const MIN_PASSWORD_LENGTH = 8;
export const RECOMMENDED_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

const ADVICE = `choose another: a few unrelated words, ${RECOMMENDED_PASSWORD_LENGTH} characters or more, are easy to remember and hard to guess`;

/** One character or a group of up to four repeated, or hardly more than two different characters. */
function isRepetitive(chars: string[]): boolean {
  if (new Set(chars).size <= 2) return true;
  return /^(.{1,4})\1+$/su.test(chars.join(''));
}

/** Where a character stands on its ring (digits: 0 follows 9; letters: a follows z), or null. */
function onRing(c: string): { size: number; index: number } | null {
  if (/^[0-9]$/.test(c)) return { size: 10, index: c.charCodeAt(0) - 48 };
  if (/^[a-z]$/.test(c)) return { size: 26, index: c.charCodeAt(0) - 97 };
  return null;
}

/** Every step +1, or every step -1, on one ring: 123456789012, abcdefgh, 98765432. */
function isSequence(chars: string[]): boolean {
  let direction = 0;
  for (let i = 1; i < chars.length; i += 1) {
    const [a, b] = [onRing(chars[i - 1]!), onRing(chars[i]!)];
    if (a === null || b === null || a.size !== b.size) return false;
    const up = (b.index - a.index + a.size) % a.size;
    const step = up === 1 ? 1 : up === a.size - 1 ? -1 : 0;
    if (step === 0 || (direction !== 0 && step !== direction)) return false;
    direction = step;
  }
  return true;
}

/**
 * Why `password` may not be used, as a sentence to show the person, or `null` when it may.
 * Length is counted in Unicode characters (code points), as NIST asks.
 *
 * @example
 * ```ts
 * await passwordProblem('password', { email: 'ada@example.com' });
 * // 'this password is on a list of common and breached passwords, the first ones attackers try: choose another: …'
 * ```
 */
export async function passwordProblem(password: string, context: { email?: string | undefined } = {}): Promise<string | null> {
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) {
    return `the password must have at least ${MIN_PASSWORD_LENGTH} characters (${RECOMMENDED_PASSWORD_LENGTH} or more recommended)`;
  }
  if (chars.length > MAX_PASSWORD_LENGTH) return `the password is too long: at most ${MAX_PASSWORD_LENGTH.toLocaleString('en-US')} characters`;
  const lower = password.toLowerCase();
  const lowerChars = [...lower];
  if (await isCommonPassword(lower)) return `this password is on a list of common and breached passwords, the first ones attackers try: ${ADVICE}`;
  if (isRepetitive(lowerChars)) return `the password repeats one character or a short pattern, which is guessed at once: ${ADVICE}`;
  if (isSequence(lowerChars)) return `the password is a plain sequence (like 12345678 or abcdefgh), which is guessed at once: ${ADVICE}`;
  const name = context.email?.split('@')[0]?.toLowerCase() ?? '';
  if ((name.length >= 4 && lower.includes(name)) || lower.includes('keyturn')) {
    return `the password contains your email name or the name of this service, which an attacker tries first: ${ADVICE}`;
  }
  return null;
}
