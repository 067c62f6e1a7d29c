/** `POST /api/authz/v3/oauth/token`: authorization_code, refresh_token and device_code (RFC 8628) grants, form body only. */
import type { FastifyInstance } from 'fastify';
import { authenticateClient } from '../../domain/authenticateClient.js';
import type { Keyturn } from '../../domain/context.js';
import type { ClientRecord } from '../../storage/records.js';
import { PATHS } from '../../domain/discovery.js';
import { exchangeDeviceCode } from '../../domain/device/exchangeDeviceCode.js';
import { OAuthError } from '../../domain/errors.js';
import { DEVICE_CODE_GRANT, GRANT_TYPES, requireGrant } from '../../domain/grantTypes.js';
import { exchangeCode } from '../../domain/tokens/exchangeCode.js';
import { refreshGrant } from '../../domain/tokens/refreshGrant.js';
import { readCredentialsForm } from '../lib/form.js';
import { reportingOutcome } from '../lib/grantOutcome.js';
import { noteOnLog } from '../lib/requestLog.js';

export function registerTokenRoute(app: FastifyInstance, kt: Keyturn): void {
  app.post(PATHS.token, reportingOutcome(kt, async (request, reply) => {
    const { credentials, form } = readCredentialsForm(request, ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'token_format', 'device_code']);
    /** Once the client is known: name it in the request's log line, and refuse a grant type it may not use. */
    const admit = (client: ClientRecord) => {
      noteOnLog(request, { clientId: client.id });
      const known = GRANT_TYPES.find((g) => g === form.grant_type);
      if (known) requireGrant(client, known);
    };
    let body;
    if (form.grant_type === 'refresh_token') {
      // Authenticates the client from the row its token's query reads: one query per refresh.
      body = await refreshGrant(kt, credentials, { refreshToken: form.refresh_token, scope: form.scope, tokenFormat: form.token_format, address: request.ip }, admit);
    } else {
      const client = await authenticateClient(kt, credentials);
      admit(client);
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
        case DEVICE_CODE_GRANT:
          body = await exchangeDeviceCode(kt, client, { deviceCode: form.device_code, tokenFormat: form.token_format, userAgent: request.headers['user-agent'] ?? null });
          break;
        case undefined:
          throw new OAuthError('invalid_request', 'grant_type is required');
        default:
          throw new OAuthError('unsupported_grant_type', `grant_type must be one of ${GRANT_TYPES.join(', ')}`);
      }
    }
    return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(body);
  }));
}
