/** User codes (RFC 8628 6.1): the alphabet, the shown form, and what a person may type. */
import { describe, expect, it } from 'vitest';
import { formatUserCode, newUserCode, normaliseUserCode, USER_CODE_ALPHABET } from './userCode.js';

describe('user codes', () => {
  it('draws 8 letters from the 20 consonants of RFC 8628 6.1, using all of them', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const code = newUserCode();
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      for (const c of code) seen.add(c);
    }
    expect(USER_CODE_ALPHABET).toBe('BCDFGHJKLMNPQRSTVWXZ');
    expect([...seen].sort().join('')).toBe(USER_CODE_ALPHABET);
  });

  it('shows a code as two groups of four', () => {
    expect(formatUserCode('WDJBMJHT')).toBe('WDJB-MJHT');
  });

  it('accepts a typed code in any case, with or without the dash and spaces', () => {
    for (const typed of ['WDJB-MJHT', 'wdjb-mjht', 'WDJBMJHT', 'wdjbmjht', ' wdjb mjht ', 'Wdjb-MjhT']) {
      expect(normaliseUserCode(typed)).toBe('WDJBMJHT');
    }
  });

  it('refuses what cannot be a code: other letters, digits, too short or too long', () => {
    for (const typed of ['WDJB-MJHA', 'WDJB-MJH0', 'WDJB-MJH', 'WDJB-MJHTX', '', '<script>', 'WDJB_MJHT']) {
      expect(normaliseUserCode(typed)).toBeNull();
    }
  });
});
