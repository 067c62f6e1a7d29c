/** `POST /api/authz/v3/oauth/introspect` (RFC 7662): client-authenticated; `{active:false}` for anything not live. */
import type { FastifyInstance } from 'fastify';
import { authenticateClient } from '../../domain/clients.js';
import type { Keyturn } from '../../domain/context.js';
import { PATHS } from '../../domain/discovery.js';
import { OAuthError } from '../../domain/errors.js';
import { introspectToken } from '../../domain/introspect.js';
import { isFormRequest, readForm } from '../lib/form.js';

export function registerIntrospectRoute(app: FastifyInstance, kt: Keyturn): void {
  app.post(PATHS.introspect, async (request, reply) => {
    if (!isFormRequest(request)) throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
    const form = readForm(request, ['token', 'token_type_hint', 'client_id', 'client_secret']);
    const { client } = await authenticateClient(kt, {
      authorization: request.headers.authorization,
      clientId: form.client_id,
      clientSecret: form.client_secret,
    });
    if (form.token === undefined) throw new OAuthError('invalid_request', 'token is required');
    const answer = await introspectToken(kt, client, form.token);
    return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(answer);
  });
}
