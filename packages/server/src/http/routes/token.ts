/** `POST /api/authz/v3/oauth/token`: authorization_code and refresh_token grants, form body only. */
import type { FastifyInstance } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { PATHS } from '../../domain/discovery.js';
import { OAuthError } from '../../domain/errors.js';
import { exchangeCode } from '../../domain/tokens/exchangeCode.js';
import { refreshTokens } from '../../domain/tokens/refresh.js';
import { readClientForm } from '../lib/form.js';
import { reportingRefusals } from '../lib/grantOutcome.js';

export function registerTokenRoute(app: FastifyInstance, kt: Keyturn): void {
  app.post(PATHS.token, reportingRefusals(kt, async (request, reply) => {
    const { client, form } = await readClientForm(kt, request, ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'token_format']);
    let body;
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
      case 'refresh_token':
        body = await refreshTokens(kt, client, { refreshToken: form.refresh_token, scope: form.scope, tokenFormat: form.token_format });
        break;
      case undefined:
        throw new OAuthError('invalid_request', 'grant_type is required');
      default:
        throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
    }
    return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(body);
  }));
}
