/** Home, sign-in form and its POST, and the stylesheet. */
import type { FastifyInstance } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { SignInError } from '../../domain/errors.js';
import { signIn } from '../../domain/signIn.js';
import { resolveSso } from '../../domain/sso.js';
import { PATHS } from '../../domain/discovery.js';
import { NPSSO_COOKIE, cookieOptions } from '../lib/cookies.js';
import { csrfToken, csrfValid } from '../lib/csrf.js';
import { safeReturnTo } from '../lib/params.js';
import { STYLESHEET } from '../views/css.js';
import { homePage, signInPage } from '../views/pages.js';

const HTML = 'text/html; charset=utf-8';

export function registerPageRoutes(app: FastifyInstance, kt: Keyturn): void {
  app.get('/assets/keyturn.css', async (_request, reply) => {
    return reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(STYLESHEET);
  });

  app.get('/', async (request, reply) => {
    const live = await resolveSso(kt, request.cookies[NPSSO_COOKIE]);
    return reply.type(HTML).send(homePage({ signedInAs: live?.user.email ?? null, csrfToken: csrfToken(kt, request, reply) }));
  });

  app.get(PATHS.signin, async (request, reply) => {
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).return_to);
    return reply.type(HTML).send(signInPage({ csrfToken: csrfToken(kt, request, reply), returnTo }));
  });

  app.post(PATHS.signin, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const returnTo = safeReturnTo(body.return_to);
    const again = (status: number, error: string) =>
      reply.code(status).type(HTML).send(signInPage({ csrfToken: csrfToken(kt, request, reply), returnTo, email: email.slice(0, 254), error }));

    if (!csrfValid(kt, request, body.csrf)) return again(403, 'Your sign-in form expired. Please try again.');
    if (email === '' || password === '') return again(400, 'Enter your email and password.');
    try {
      const result = await signIn(kt, { email, password, address: request.ip, userAgent: request.headers['user-agent'] ?? null });
      reply.setCookie(NPSSO_COOKIE, result.npsso, cookieOptions(kt, kt.config.ssoTtlSec));
      return reply.code(303).header('Location', returnTo ?? '/').send();
    } catch (err) {
      if (err instanceof SignInError) {
        if (err.code === 'ERR_TOO_MANY_ATTEMPTS') reply.header('Retry-After', String(err.retryAfterSec));
        return again(err.code === 'ERR_TOO_MANY_ATTEMPTS' ? 429 : err.code === 'ERR_ACCOUNT_DISABLED' ? 403 : 401, err.message);
      }
      throw err;
    }
  });
}
