/**
 * `GET /api/authz/v3/oauth/authorize`. Unknown client or unregistered redirect URI: an error
 * page for a browser, RFC 6749 JSON for a program, never a redirect. Not signed in, or not
 * recently enough (`prompt=login`, `max_age`): to the sign-in page and back here afterwards
 * (`prompt=none`: `login_required` to the client). Otherwise a code, 302 to the client.
 */
import type { FastifyInstance } from 'fastify';
import { buildRedirect, issueCode, validateClientAndRedirect, type AuthorizeParams } from '../../domain/authorize.js';
import type { Keyturn } from '../../domain/context.js';
import { PATHS } from '../../domain/discovery.js';
import { AuthorizeRequestError, OAuthError } from '../../domain/errors.js';
import { resolveSso } from '../../domain/sso.js';
import { usableSignIn } from '../../domain/usableSignIn.js';
import { NPSSO_COOKIE } from '../lib/cookies.js';
import { pick } from '../lib/params.js';
import { AUTHORIZE_ERROR_TEXT } from '../views/authorizeErrors.js';
import { errorPage } from '../views/pages.js';

const NAMES = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'access_type', 'prompt', 'max_age'] as const;

export function registerAuthorizeRoute(app: FastifyInstance, kt: Keyturn): void {
  app.get(PATHS.authorize, async (request, reply) => {
    let params: AuthorizeParams;
    let validated;
    try {
      params = pick(request.query, NAMES);
      validated = await validateClientAndRedirect(kt, params);
    } catch (err) {
      const refused = err instanceof AuthorizeRequestError ? AUTHORIZE_ERROR_TEXT[err.code] : err instanceof OAuthError ? { title: 'Invalid request', detail: err.description, error: 'invalid_request' as const } : null;
      if (!refused) throw err;
      reply.code(400).header('Cache-Control', 'no-store');
      // A browser gets the page; a program (no text/html in Accept) gets the same words as RFC 6749 JSON.
      if (!/text\/html/i.test(request.headers.accept ?? '')) return reply.send({ error: refused.error, error_description: `${refused.title}: ${refused.detail}` });
      return reply.type('text/html; charset=utf-8').send(errorPage(refused.title, refused.detail));
    }
    const back = (query: Record<string, string | undefined>) =>
      reply.code(302).header('Cache-Control', 'no-store').header('Location', buildRedirect(validated.redirectUri, { ...query, state: params.state, iss: kt.config.issuer })).send();

    try {
      const live = usableSignIn(kt, params, await resolveSso(kt, request.cookies[NPSSO_COOKIE]));
      if (!live) {
        // Come back to this same request after sign-in, without prompt=login or max_age=0: the
        // sign-in just made answers them, and keeping them would loop.
        const again = new URLSearchParams(request.query as Record<string, string>);
        again.delete('prompt');
        if (again.get('max_age') === '0') again.delete('max_age');
        const returnTo = `${PATHS.authorize}?${again.toString()}`;
        return reply.code(302).header('Location', `${PATHS.signin}?${new URLSearchParams({ return_to: returnTo }).toString()}`).send();
      }
      const { code } = await issueCode(kt, validated, params, live);
      return back({ code });
    } catch (err) {
      if (err instanceof OAuthError) return back({ error: err.error, error_description: err.description });
      throw err;
    }
  });
}
