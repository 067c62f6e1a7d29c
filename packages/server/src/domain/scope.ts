/** Scope strings: parsing, checking and narrowing (RFC 6749 3.3). */
import { OAuthError, ScopeError } from './errors.js';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Splits a space-separated scope into unique tokens; throws `ScopeError` on characters RFC 6749 forbids. */
export function parseScope(scope: string | undefined | null): string[] {
  if (!scope) return [];
  const tokens = scope.split(' ').filter((t) => t.length > 0);
  for (const t of tokens) if (!SCOPE_TOKEN.test(t)) throw new ScopeError();
  return [...new Set(tokens)];
}

/** `parseScope` for a scope a client asked for: a bad one is the client's `invalid_scope`. */
export function parseRequestedScope(scope: string): string[] {
  try {
    return parseScope(scope);
  } catch (err) {
    if (err instanceof ScopeError) throw new OAuthError('invalid_scope', err.message);
    throw err;
  }
}

export function formatScope(tokens: readonly string[]): string {
  return tokens.join(' ');
}

/** True when every token of `requested` is in `allowed`. */
export function isSubset(requested: readonly string[], allowed: readonly string[]): boolean {
  const set = new Set(allowed);
  return requested.every((t) => set.has(t));
}
