/** `POST /api/authz/v3/oauth/introspect` (RFC 7662): client-authenticated; `{active:false}` for anything not live. */
import type { FastifyInstance } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { PATHS } from '../../domain/discovery.js';
import { OAuthError } from '../../domain/errors.js';
import { introspectToken } from '../../domain/introspect.js';
import { readClientForm } from '../lib/form.js';

export function registerIntrospectRoute(app: FastifyInstance, kt: Keyturn): void {
  app.post(PATHS.introspect, async (request, reply) => {
    const { client, form } = await readClientForm(kt, request, ['token', 'token_type_hint']);
    if (form.token === undefined) throw new OAuthError('invalid_request', 'token is required');
    const answer = await introspectToken(kt, client, form.token);
    return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(answer);
  });
}
