/** Reporting what the token endpoint answered: `tokens.issued` or `grant.refused` (with the RFC 6749 error code). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { OAuthError } from '../../domain/errors.js';
import { notedClientId } from './requestLog.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * Wraps the token endpoint's handler: its answer is reported as `tokens.issued` (outcome `ok`)
 * and an `OAuthError` it throws as `grant.refused` (the error code as outcome), each with the
 * grant type as sent and the client when it authenticated; then answered as before.
 *
 * @example
 * ```ts
 * app.post(PATHS.token, reportingOutcome(kt, async (request, reply) => { … }));
 * ```
 */
export function reportingOutcome(kt: Keyturn, handler: Handler): Handler {
  const grantTypeOf = (request: FastifyRequest) => {
    const sent = (request.body as Record<string, unknown> | null | undefined)?.grant_type;
    return typeof sent === 'string' ? sent.slice(0, 100) : undefined;
  };
  return async (request, reply) => {
    let answer: unknown;
    try {
      answer = await handler(request, reply);
    } catch (err) {
      if (err instanceof OAuthError) await kt.events.emit({ type: 'grant.refused', grantType: grantTypeOf(request), clientId: notedClientId(request), outcome: err.error });
      throw err;
    }
    await kt.events.emit({ type: 'tokens.issued', grantType: grantTypeOf(request), clientId: notedClientId(request), outcome: 'ok' });
    return answer;
  };
}
