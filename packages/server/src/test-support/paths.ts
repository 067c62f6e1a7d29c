/**
 * Where the server answers, read from the server's own `PATHS`, so that no test spells an
 * OAuth path; `e2e/discovery.test.ts` alone holds the literal contract paths.
 */
import { OAUTH_BASE, PATHS } from '../domain/discovery.js';

export { OAUTH_BASE, PATHS };

/** An endpoint by its name in `PATHS`. */
export type Endpoint = keyof typeof PATHS;

/** The two metadata documents (OpenID Connect Discovery and RFC 8414), served alike. */
export const METADATA_PATHS = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'] as const;

/** A server to call: a base URL, or anything with a `url` (a test server, a running server). */
export type Target = string | { readonly url: string };

/** The base URL of `target`. */
export function urlOf(target: Target): string {
  return typeof target === 'string' ? target : target.url;
}

/**
 * The full URL of an endpoint of `target`.
 *
 * @example
 * ```ts
 * await fetch(endpoint(s, 'jwks')); // http://127.0.0.1:PORT/api/authz/v3/oauth/jwks
 * ```
 */
export function endpoint(target: Target, name: Endpoint): string {
  return urlOf(target) + PATHS[name];
}
