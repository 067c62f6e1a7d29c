/** `POST /api/authz/v3/oauth/token`: authorization_code, refresh_token and device_code (RFC 8628) grants, form body only. */
import type { FastifyInstance } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { PATHS } from '../../domain/discovery.js';
import { exchangeDeviceCode } from '../../domain/device/exchangeDeviceCode.js';
import { OAuthError } from '../../domain/errors.js';
import { DEVICE_CODE_GRANT, GRANT_TYPES, requireGrant } from '../../domain/grantTypes.js';
import { exchangeCode } from '../../domain/tokens/exchangeCode.js';
import { refreshTokens } from '../../domain/tokens/refresh.js';
import { readClientForm } from '../lib/form.js';
import { reportingOutcome } from '../lib/grantOutcome.js';

export function registerTokenRoute(app: FastifyInstance, kt: Keyturn): void {
  app.post(PATHS.token, reportingOutcome(kt, async (request, reply) => {
    const { client, form } = await readClientForm(kt, request, ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'token_format', 'device_code']);
    const known = GRANT_TYPES.find((g) => g === form.grant_type);
    if (known) requireGrant(client, known);
    let body;
    switch (form.grant_type) {
      case 'authorization_code':
        body = await exchangeCode(kt, client, {
          code: form.code,
          redirectUri: form.redirect_uri,
          codeVerifier: form.code_verifier,
          tokenFormat: form.token_format,
          userAgent: request.headers['user-agent'] ?? null,
          address: request.ip,
        });
        break;
      case 'refresh_token':
        body = await refreshTokens(kt, client, { refreshToken: form.refresh_token, scope: form.scope, tokenFormat: form.token_format, address: request.ip });
        break;
      case DEVICE_CODE_GRANT:
        body = await exchangeDeviceCode(kt, client, { deviceCode: form.device_code, tokenFormat: form.token_format, userAgent: request.headers['user-agent'] ?? null });
        break;
      case undefined:
        throw new OAuthError('invalid_request', 'grant_type is required');
      default:
        throw new OAuthError('unsupported_grant_type', `grant_type must be one of ${GRANT_TYPES.join(', ')}`);
    }
    return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(body);
  }));
}
