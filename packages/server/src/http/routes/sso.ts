/** `GET /api/v1/ssocookie`: the npsso value of a signed-in browser, as PlayStation answers it. */
import type { FastifyInstance } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { PATHS } from '../../domain/discovery.js';
import { OAuthError } from '../../domain/errors.js';
import { resolveSso } from '../../domain/sso.js';
import { NPSSO_COOKIE } from '../lib/cookies.js';

export function registerSsoRoutes(app: FastifyInstance, kt: Keyturn): void {
  app.get(PATHS.ssoCookie, async (request, reply) => {
    const npsso = request.cookies[NPSSO_COOKIE];
    const live = await resolveSso(kt, npsso);
    if (!live || !npsso) throw new OAuthError('login_required', 'no valid npsso cookie: sign in first');
    return reply.header('Cache-Control', 'no-store').send({ npsso });
  });
}
