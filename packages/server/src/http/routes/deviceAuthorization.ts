/** `POST /api/authz/v3/oauth/device_authorization` (RFC 8628 3.1): a device starts its sign-in; form body, client authentication as at the token endpoint. */
import type { FastifyInstance } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { startDeviceAuthorization } from '../../domain/device/startDeviceAuthorization.js';
import { PATHS } from '../../domain/discovery.js';
import { readClientForm } from '../lib/form.js';

/**
 * Adds the device authorization endpoint.
 *
 * @example
 * ```ts
 * registerDeviceAuthorizationRoute(app, kt);
 * ```
 */
export function registerDeviceAuthorizationRoute(app: FastifyInstance, kt: Keyturn): void {
  app.post(PATHS.deviceAuthorization, async (request, reply) => {
    const { client, form } = await readClientForm(kt, request, ['scope']);
    const body = await startDeviceAuthorization(kt, client, { scope: form.scope, userAgent: request.headers['user-agent'] ?? null });
    return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(body);
  });
}
