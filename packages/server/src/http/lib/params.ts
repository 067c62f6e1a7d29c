/** Reading request parameters: each must be a single string (RFC 6749 3.1: no repeated parameters). */
import { OAuthError } from '../../domain/errors.js';

export type Params = Record<string, unknown>;

/** Returns the string value of `name`, `undefined` when absent; throws invalid_request when repeated or not a string. */
export function single(params: unknown, name: string): string | undefined {
  if (params === null || typeof params !== 'object') return undefined;
  const value = (params as Params)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new OAuthError('invalid_request', `parameter ${name} must appear once`);
  // No OAuth parameter may hold a NUL, and PostgreSQL refuses one in text (a 500 otherwise).
  if (value.includes('\0')) throw new OAuthError('invalid_request', `parameter ${name} has a NUL character`);
  return value;
}

/** Like `single`, but an empty string counts as absent (forms send empty fields). */
export function optional(params: unknown, name: string): string | undefined {
  const v = single(params, name);
  return v === '' ? undefined : v;
}

/** Picks the named parameters as single strings. */
export function pick<K extends string>(params: unknown, names: readonly K[]): Record<K, string | undefined> {
  const out = {} as Record<K, string | undefined>;
  for (const n of names) out[n] = optional(params, n);
  return out;
}

/** Only same-site paths are followed after sign-in ("/x", never "//host" or "/\\host"). */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 4096) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  // Browsers drop tabs and newlines inside URLs ("/\t/evil.example" is "//evil.example"), and a
  // control character cannot go in a Location header at all.
  if (/[\x00-\x1f\x7f\\]/.test(value)) return undefined;
  return value;
}
