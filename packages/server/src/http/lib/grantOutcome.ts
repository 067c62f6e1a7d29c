/** Reporting what the token endpoint refused: one `grant_refused` event per RFC 6749 error answer. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { OAuthError } from '../../domain/errors.js';
import { notedClientId } from './requestLog.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * Wraps the token endpoint's handler: an `OAuthError` it throws is reported as `grant_refused`
 * (grant type as sent, the client when it authenticated, the error code as outcome) and then
 * answered as before. Successes are reported by the domain (`grant_issued`).
 *
 * @example
 * ```ts
 * app.post(PATHS.token, reportingRefusals(kt, async (request, reply) => { … }));
 * ```
 */
export function reportingRefusals(kt: Keyturn, handler: Handler): Handler {
  return async (request, reply) => {
    try {
      return await handler(request, reply);
    } catch (err) {
      if (err instanceof OAuthError) {
        const sent = (request.body as Record<string, unknown> | null | undefined)?.grant_type;
        kt.events.emit({ type: 'grant_refused', grantType: typeof sent === 'string' ? sent.slice(0, 100) : undefined, clientId: notedClientId(request), outcome: err.error });
      }
      throw err;
    }
  };
}
