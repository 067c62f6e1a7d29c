/** Discovery metadata (OIDC and RFC 8414) and the JWKS. */
import type { FastifyInstance } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { PATHS, serverMetadata } from '../../domain/discovery.js';

export function registerWellKnownRoutes(app: FastifyInstance, kt: Keyturn): void {
  const metadata = async () => serverMetadata(kt);
  app.get('/.well-known/openid-configuration', async (_request, reply) => reply.header('Cache-Control', 'public, max-age=300').send(await metadata()));
  app.get('/.well-known/oauth-authorization-server', async (_request, reply) => reply.header('Cache-Control', 'public, max-age=300').send(await metadata()));
  app.get(PATHS.jwks, async (_request, reply) => {
    const keys = (await kt.keys.publicJwks()).map(({ kty, kid, alg, use, n, e, crv, x, y }) => ({ kty, kid, alg, use, n, e, crv, x, y }));
    return reply.header('Cache-Control', 'public, max-age=300').send({ keys });
  });
}
