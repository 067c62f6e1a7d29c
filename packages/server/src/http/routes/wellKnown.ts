/** Discovery metadata (OIDC and RFC 8414) and the JWKS. */
import type { FastifyInstance } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { PATHS, serverMetadata, type OptionalEndpoint } from '../../domain/discovery.js';

/** Optional endpoints that route modules announce when they register. */
export const announced: Partial<Record<OptionalEndpoint, string>> = {};

export function registerWellKnownRoutes(app: FastifyInstance, kt: Keyturn): void {
  const metadata = async () => serverMetadata(kt, announced);
  app.get('/.well-known/openid-configuration', async (_request, reply) => reply.header('Cache-Control', 'public, max-age=300').send(await metadata()));
  app.get('/.well-known/oauth-authorization-server', async (_request, reply) => reply.header('Cache-Control', 'public, max-age=300').send(await metadata()));
  app.get(PATHS.jwks, async (_request, reply) => {
    const keys = (await kt.keys.publicJwks()).map(({ kty, kid, alg, use, n, e, crv, x, y }) => ({ kty, kid, alg, use, n, e, crv, x, y }));
    return reply.header('Cache-Control', 'public, max-age=300').send({ keys });
  });
}
