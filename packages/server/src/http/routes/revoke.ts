/** `POST /api/authz/v3/oauth/revoke` (RFC 7009): client-authenticated like the token endpoint; 200 whatever the token was. */
import type { FastifyInstance } from 'fastify';
import { authenticateClient } from '../../domain/clients.js';
import type { Keyturn } from '../../domain/context.js';
import { PATHS } from '../../domain/discovery.js';
import { OAuthError } from '../../domain/errors.js';
import { revokeToken } from '../../domain/revoke.js';
import { isFormRequest, readForm } from '../lib/form.js';

export function registerRevokeRoute(app: FastifyInstance, kt: Keyturn): void {
  app.post(PATHS.revoke, async (request, reply) => {
    if (!isFormRequest(request)) throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
    const form = readForm(request, ['token', 'token_type_hint', 'client_id', 'client_secret']);
    const { client } = await authenticateClient(kt, {
      authorization: request.headers.authorization,
      clientId: form.client_id,
      clientSecret: form.client_secret,
    });
    if (form.token === undefined) throw new OAuthError('invalid_request', 'token is required');
    await revokeToken(kt, client, form.token, form.token_type_hint);
    return reply.code(200).header('Cache-Control', 'no-store').send();
  });
}
