/**
 * OpenID Connect Core 3.1.2.1 at the authorization endpoint: may the browser's current sign-in
 * answer this request, or must the person sign in again first? `prompt=login` always asks for
 * a new sign-in; `max_age=N` asks for one when the person typed their password more than N
 * seconds ago (the SSO session's `auth_time`, which every ID token carries).
 */
import type { AuthorizeParams } from './authorize.js';
import type { Keyturn } from './context.js';
import { OAuthError } from './errors.js';
import type { LiveSso } from './sso.js';

/** Seconds; ten digits is more than three centuries, anything longer is not a real request. */
const MAX_AGE = /^\d{1,10}$/;

/**
 * The sign-in to issue the code with, or `null` when the person must sign in (again) first.
 * Throws `OAuthError`s for the client's redirect URI: `login_required` when the request has
 * `prompt=none` and a sign-in is needed, `invalid_request` for a malformed `max_age` or
 * `prompt=none` combined with another value.
 *
 * @example
 * ```ts
 * const live = usableSignIn(kt, params, await resolveSso(kt, request.cookies.npsso));
 * if (!live) return reply.redirect(`/signin?return_to=…`);
 * ```
 */
export function usableSignIn(kt: Keyturn, params: Pick<AuthorizeParams, 'prompt' | 'max_age'>, sso: LiveSso | null): LiveSso | null {
  const prompts = new Set((params.prompt ?? '').split(' ').filter((p) => p !== ''));
  if (prompts.has('none') && prompts.size > 1) throw new OAuthError('invalid_request', 'prompt=none cannot be combined with another prompt value');
  if (params.max_age !== undefined && !MAX_AGE.test(params.max_age)) throw new OAuthError('invalid_request', 'max_age must be a whole number of seconds');
  const maxAgeMs = params.max_age === undefined ? Infinity : Number(params.max_age) * 1000;

  let why: string | null = null;
  if (sso === null) why = 'the person is not signed in';
  else if (prompts.has('login')) why = 'prompt=login asks for a new sign-in';
  else if (kt.now() - sso.session.authTime > maxAgeMs) why = 'the person signed in longer than max_age seconds ago';
  if (why === null) return sso;
  if (prompts.has('none')) throw new OAuthError('login_required', why);
  return null;
}
