/**
 * CSRF protection for the HTML forms: a random value in an HttpOnly cookie, and in the form
 * its HMAC under the server's CSRF key. A cross-site page can neither read the cookie nor
 * compute the HMAC.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { hmacBase64Url, randomToken, safeEqual } from '../../domain/lib/crypto.js';
import { cookieOptions } from './cookies.js';

/**
 * Under https the cookie carries the `__Host-` prefix: browsers then accept it only with
 * Secure, Path=/ and no Domain, so a sibling subdomain cannot plant a value of its own.
 */
function cookieName(kt: Keyturn): string {
  return kt.config.issuer.startsWith('https:') ? '__Host-kt_csrf' : 'kt_csrf';
}

/** The form token for this browser, setting the cookie on first use. */
export function csrfToken(kt: Keyturn, request: FastifyRequest, reply: FastifyReply): string {
  const name = cookieName(kt);
  let seed = request.cookies[name];
  if (!seed || !/^[A-Za-z0-9_-]{43}$/.test(seed)) {
    seed = randomToken(32);
    reply.setCookie(name, seed, cookieOptions(kt, null));
    // Later code in this request sees the new seed too.
    request.cookies[name] = seed;
  }
  return hmacBase64Url(kt.secrets.csrf, seed);
}

export function csrfValid(kt: Keyturn, request: FastifyRequest, formToken: unknown): boolean {
  const seed = request.cookies[cookieName(kt)];
  if (!seed || typeof formToken !== 'string' || formToken.length === 0) return false;
  return safeEqual(hmacBase64Url(kt.secrets.csrf, seed), formToken);
}
