/** `POST /signout`: with a valid CSRF token, ends the SSO session, clears the npsso cookie, and goes home. */
import type { FastifyInstance } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { PATHS } from '../../domain/discovery.js';
import { endSso } from '../../domain/sso.js';
import { NPSSO_COOKIE, cookieOptions } from '../lib/cookies.js';
import { csrfValid } from '../lib/csrf.js';
import { errorPage } from '../views/pages.js';

export function registerSignOutRoute(app: FastifyInstance, kt: Keyturn): void {
  app.post(PATHS.signout, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!csrfValid(kt, request, body.csrf)) {
      // A cross-site form cannot sign anyone out.
      return reply.code(403).type('text/html; charset=utf-8').send(errorPage('Request refused', 'Your sign-out form expired. Go back, reload the page and try again.'));
    }
    await endSso(kt, request.cookies[NPSSO_COOKIE], request.ip);
    reply.clearCookie(NPSSO_COOKIE, cookieOptions(kt, null));
    return reply.code(303).header('Location', '/').header('Cache-Control', 'no-store').send();
  });
}
