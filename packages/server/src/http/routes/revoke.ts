/** `POST /api/authz/v3/oauth/revoke` (RFC 7009): client-authenticated like the token endpoint; 200 whatever the token was. */
import type { FastifyInstance } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { PATHS } from '../../domain/discovery.js';
import { OAuthError } from '../../domain/errors.js';
import { revokeToken } from '../../domain/revoke.js';
import { readClientForm } from '../lib/form.js';

export function registerRevokeRoute(app: FastifyInstance, kt: Keyturn): void {
  app.post(PATHS.revoke, async (request, reply) => {
    const { client, form } = await readClientForm(kt, request, ['token', 'token_type_hint']);
    if (form.token === undefined) throw new OAuthError('invalid_request', 'token is required');
    await revokeToken(kt, client, form.token, form.token_type_hint, request.ip);
    return reply.code(200).header('Cache-Control', 'no-store').send();
  });
}
