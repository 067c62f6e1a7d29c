/** Cookie attributes: HttpOnly, SameSite=Lax, Secure when the issuer is https. */
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { Keyturn } from '../../domain/context.js';

export const NPSSO_COOKIE = 'npsso';

export function cookieOptions(kt: Keyturn, maxAgeSec: number | null): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: kt.config.issuer.startsWith('https:'),
    ...(maxAgeSec !== null ? { maxAge: maxAgeSec } : {}),
  };
}
