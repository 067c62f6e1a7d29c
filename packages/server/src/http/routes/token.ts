/** `POST /api/authz/v3/oauth/token`: authorization_code and refresh_token grants, form body only. */
import type { FastifyInstance } from 'fastify';
import { authenticateClient } from '../../domain/authenticateClient.js';
import type { Keyturn } from '../../domain/context.js';
import { PATHS } from '../../domain/discovery.js';
import { OAuthError } from '../../domain/errors.js';
import { exchangeCode } from '../../domain/tokens/exchangeCode.js';
import { refreshGrant } from '../../domain/tokens/refreshGrant.js';
import { readCredentialsForm } from '../lib/form.js';

export function registerTokenRoute(app: FastifyInstance, kt: Keyturn): void {
  app.post(PATHS.token, async (request, reply) => {
    const { credentials, form } = readCredentialsForm(request, ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'token_format']);
    let body;
    if (form.grant_type === 'refresh_token') {
      // Authenticates the client from the row its token's query reads: one query per refresh.
      body = await refreshGrant(kt, credentials, { refreshToken: form.refresh_token, scope: form.scope, tokenFormat: form.token_format });
    } else {
      const client = await authenticateClient(kt, credentials);
      switch (form.grant_type) {
        case 'authorization_code':
          body = await exchangeCode(kt, client, {
            code: form.code,
            redirectUri: form.redirect_uri,
            codeVerifier: form.code_verifier,
            tokenFormat: form.token_format,
            userAgent: request.headers['user-agent'] ?? null,
          });
          break;
        case undefined:
          throw new OAuthError('invalid_request', 'grant_type is required');
        default:
          throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
      }
    }
    return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(body);
  });
}
