/** Scope strings (RFC 6749 3.3): parsing, the client's invalid_scope, subsets and formatting. */
import { describe, expect, it } from 'vitest';
import { refusal } from '../test-support/domain.js';
import { ScopeError } from './errors.js';
import { formatScope, isSubset, parseRequestedScope, parseScope } from './scope.js';

describe('parseScope', () => {
  it('splits on spaces, drops empty tokens and repeats, and keeps the first order', () => {
    expect(parseScope('  openid  email openid psn:mobile.v2.core ')).toEqual(['openid', 'email', 'psn:mobile.v2.core']);
  });

  it('reads an absent or empty scope as no tokens', () => {
    expect(parseScope(undefined)).toEqual([]);
    expect(parseScope(null)).toEqual([]);
    expect(parseScope('')).toEqual([]);
  });

  it('refuses the characters RFC 6749 leaves out of a scope token: double quote, backslash, controls and non-ASCII', () => {
    for (const scope of ['openid "email', 'a\\b', 'tab\there', 'café']) {
      expect(() => parseScope(scope)).toThrow(ScopeError);
    }
    expect(parseScope("!#[]~'")).toEqual(["!#[]~'"]);
  });
});

describe('parseRequestedScope', () => {
  it("turns a malformed scope into the client's invalid_scope", () => {
    expect(() => parseRequestedScope('openid "email')).toThrow(expect.objectContaining(refusal('invalid_scope', 'scope has characters RFC 6749 does not allow')));
  });

  it('parses a well-formed scope like parseScope', () => {
    expect(parseRequestedScope('email email openid')).toEqual(['email', 'openid']);
  });
});

describe('isSubset', () => {
  it('is true when every requested token is allowed, the empty request included', () => {
    expect(isSubset(['email'], ['openid', 'email'])).toBe(true);
    expect(isSubset([], ['openid'])).toBe(true);
  });

  it('is false when any requested token is not allowed', () => {
    expect(isSubset(['openid', 'admin'], ['openid', 'email'])).toBe(false);
  });
});

describe('formatScope', () => {
  it('joins tokens with single spaces', () => {
    expect(formatScope(['openid', 'email'])).toBe('openid email');
  });
});
