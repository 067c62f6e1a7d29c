/**
 * User codes of device sign-in (RFC 8628 6.1): 8 letters from an alphabet without vowels or
 * look-alikes, shown as `WDJB-MJHT`, accepted in any case, with or without the dash or spaces.
 */
import { randomInt } from 'node:crypto';
import { sha256Hex } from '../lib/crypto.js';

/** 20 consonants: no vowels (no words), none mistaken for a digit. */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const LENGTH = 8;
const NORMALISED = new RegExp(`^[${USER_CODE_ALPHABET}]{${LENGTH}}$`);

/**
 * A new user code, uniformly random, normalised (no dash): 20^8 ≈ 2^34.6 possibilities.
 *
 * @example
 * ```ts
 * newUserCode(); // 'WDJBMJHT'
 * ```
 */
export function newUserCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/**
 * The normalised form of what a person typed, or null when it cannot be a user code.
 *
 * @example
 * ```ts
 * normaliseUserCode(' wdjb-mjht '); // 'WDJBMJHT'
 * normaliseUserCode('WDJB-MJH0'); // null
 * ```
 */
export function normaliseUserCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  return NORMALISED.test(code) ? code : null;
}

/**
 * A normalised user code as people read it: two groups of four.
 *
 * @example
 * ```ts
 * formatUserCode('WDJBMJHT'); // 'WDJB-MJHT'
 * ```
 */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * How a normalised user code is stored and looked up.
 *
 * @example
 * ```ts
 * await kt.repo.findPendingDeviceCode(userCodeHash('WDJBMJHT'), kt.now());
 * ```
 */
export function userCodeHash(code: string): string {
  return sha256Hex(`user_code:${code}`);
}
