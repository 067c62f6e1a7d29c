/** The password rules (NIST SP 800-63B): what is refused, why, and what passes. */
import { describe, expect, it } from 'vitest';
import { passwordProblem } from './passwordRules.js';

describe('password rules', () => {
  it.each([
    ['password', /list of common and breached passwords/],
    ['Password1', /list of common and breached passwords/],
    ['qwertyuiop', /list of common and breached passwords/],
    ['aaaaaaaaaaaa', /repeats one character or a short pattern/],
    ['abcabcabcabc', /repeats one character or a short pattern/],
    ['aabbaabbaabb', /repeats one character or a short pattern/],
    ['123456789012', /list of common and breached passwords/],
    ['345678901234', /plain sequence/],
    ['zyxwvutsrqpo', /plain sequence/],
    ['MNOPQRSTUVWX', /plain sequence/],
  ])('refuses %s and says why', async (password, why) => {
    const problem = await passwordProblem(password);
    expect(problem).toMatch(why);
    expect(problem).toContain('12 characters or more');
  });

  it('refuses fewer than 8 characters, counted as Unicode characters, and recommends 12', async () => {
    expect(await passwordProblem('seven c')).toBe('the password must have at least 8 characters (12 or more recommended)');
    // Seven emoji are 14 UTF-16 code units but 7 characters.
    expect(await passwordProblem('🔑🔑🗝️🔒🔓🚪')).toMatch(/at least 8 characters/);
    expect(await passwordProblem('żółw jaźń ćma')).toBeNull();
  });

  it('accepts 1,024 characters and refuses 1,025', async () => {
    const long = Array.from({ length: 1024 }, (_, i) => 'kxq7 mzv2 plw9'[i % 14]).join('');
    expect(await passwordProblem(long)).toBeNull();
    expect(await passwordProblem(`${long}z`)).toBe('the password is too long: at most 1,024 characters');
  });

  it('refuses a password that holds the email name or the service name', async () => {
    expect(await passwordProblem('grace.hopper-1906', { email: 'Grace.Hopper@example.com' })).toMatch(/contains your email name or the name of this service/);
    expect(await passwordProblem('my keyturn login', { email: 'ada@example.com' })).toMatch(/contains your email name/);
    expect(await passwordProblem('ada loves engines', { email: 'ada@example.com' })).toBeNull();
  });

  it('accepts a passphrase of unrelated words, spaces and all', async () => {
    expect(await passwordProblem('correct horse battery staple')).toBeNull();
    expect(await passwordProblem('Tr0ub4dor&3x')).toBeNull();
  });
});
