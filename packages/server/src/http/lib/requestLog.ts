/**
 * What a request's log lines say besides method, path and status: the request id (accepted from
 * `X-Request-Id` when it has a sane shape, else made here), and the client and outcome once known.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';

/** An incoming request id is used only in this shape; anything else could forge or flood log lines. */
export const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The id of a request: the caller's `X-Request-Id` when it is sane (a proxy's or a client's
 * correlation id), else a fresh UUID. Fastify logs it as `reqId`; the server echoes it.
 *
 * @example
 * ```ts
 * Fastify({ genReqId: requestIdOf, requestIdHeader: false });
 * ```
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** The authenticated client of a request, once `noteOnLog` was told it. */
const clients = new WeakMap<FastifyRequest, string>();

/**
 * The client this request authenticated as, or undefined (none yet, or authentication failed).
 *
 * @example
 * ```ts
 * await kt.events.emit({ type: 'grant.refused', clientId: notedClientId(request), outcome: 'invalid_grant' });
 * ```
 */
export function notedClientId(request: FastifyRequest): string | undefined {
  return clients.get(request);
}

/**
 * Adds fields (`clientId`, `outcome`) to every later log line of this request, the
 * "request completed" line among them. A no-op when logging is off.
 *
 * @example
 * ```ts
 * noteOnLog(request, { clientId: client.id });
 * ```
 */
export function noteOnLog(request: FastifyRequest, fields: { clientId?: string; outcome?: string }): void {
  if (fields.clientId !== undefined) clients.set(request, fields.clientId);
  (request.log as unknown as { setBindings?(bindings: object): void }).setBindings?.(fields);
}
