/**
 * Probes for a supervisor or a load balancer: `GET /healthz` (the process is up; no I/O) and
 * `GET /readyz` (it can serve: database, signing key, Redis). JSON, 200 or 503, never cached,
 * never logged at info (a probe every few seconds would drown the log).
 */
import type { FastifyInstance } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { checkReadiness } from '../../domain/readiness.js';

/** Probe paths, outside the OAuth base: what operators and orchestrators expect. */
export const PROBE_PATHS = { health: '/healthz', ready: '/readyz' } as const;

export function registerHealthRoutes(app: FastifyInstance, kt: Keyturn): void {
  app.get(PROBE_PATHS.health, { logLevel: 'warn' }, async (_request, reply) => {
    return reply.header('Cache-Control', 'no-store').send({ status: 'ok' });
  });

  app.get(PROBE_PATHS.ready, { logLevel: 'warn' }, async (request, reply) => {
    const { ready, checks } = await checkReadiness(kt);
    if (!ready) request.log.warn({ checks }, 'not ready');
    return reply
      .code(ready ? 200 : 503)
      .header('Cache-Control', 'no-store')
      .send({ status: ready ? 'ok' : 'fail', checks });
  });
}
