/**
 * The HTTP layer's one error handler: every failure becomes RFC 6749 JSON on API paths and an
 * HTML page elsewhere, never a stack, a SQL error or a 5xx for bad input. Domain errors are
 * mapped by their stable `code` here; the domain holds no statuses or page text.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ClientAuthError, KeyturnError, OAuthError, type ServerErrorCode } from '../domain/errors.js';
import { ServiceUnavailableError } from '../storage/errors.js';
import { noteOnLog } from './lib/requestLog.js';
import { errorPage } from './views/pages.js';

/** The status of a domain error that reaches the handler (an `OAuthError` carries its own). */
const STATUS: Record<Exclude<ServerErrorCode, 'ERR_OAUTH'>, number> = {
  ERR_INVALID_CREDENTIALS: 401,
  ERR_TOO_MANY_ATTEMPTS: 429,
  ERR_ACCOUNT_DISABLED: 403,
  ERR_WRONG_PASSWORD: 400,
  ERR_WEAK_PASSWORD: 400,
  ERR_MISSING_CLIENT: 400,
  ERR_UNKNOWN_CLIENT: 400,
  ERR_MISSING_REDIRECT_URI: 400,
  ERR_UNREGISTERED_REDIRECT_URI: 400,
  ERR_DUPLICATE: 409,
  ERR_NOT_FOUND: 404,
  ERR_INVALID: 400,
  ERR_INVALID_SCOPE: 400,
  // The server's own secret or keys are unusable: an operator must act; the caller cannot.
  ERR_SECRET_TOO_SHORT: 500,
  ERR_KEY_ENVELOPE: 500,
  ERR_KEY_UNREADABLE: 500,
  ERR_NO_SIGNING_KEY: 500,
  ERR_UNKNOWN_USER_CODE: 400,
};

export function wantsJson(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return path.startsWith('/api/') || path.startsWith('/.well-known/');
}

export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  noteOnLog(request, { outcome: error instanceof OAuthError ? error.error : String((error as { code?: unknown }).code ?? error.name) });
  if (error instanceof OAuthError) {
    if (error instanceof ClientAuthError && error.method === 'client_secret_basic') {
      reply.header('WWW-Authenticate', 'Basic realm="keyturn", charset="UTF-8"');
    }
    if (error.retryAfterSec !== undefined) reply.header('Retry-After', String(error.retryAfterSec));
    return sendError(request, reply, error.status, error.error, error.description);
  }
  if (error instanceof KeyturnError && error.code !== 'ERR_OAUTH') {
    const status = STATUS[error.code];
    if (status < 500) return sendError(request, reply, status, 'invalid_request', error.message);
  }
  if (error instanceof ServiceUnavailableError) return unavailable(error, request, reply);
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Parser and framework errors (bad media type, malformed body, too large): the caller's fault.
    const description = status === 413 ? 'the request body is too large' : status === 415 ? 'unsupported content type' : 'the request is malformed';
    return sendError(request, reply, status === 413 || status === 415 ? status : 400, 'invalid_request', description);
  }
  request.log.error({ err: { type: error.name, message: error.message } }, 'request failed');
  return sendError(request, reply, 500, 'server_error', 'the server could not complete the request');
}

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, error: string, description: string) {
  reply.header('Cache-Control', 'no-store');
  if (wantsJson(request)) return reply.code(status).send({ error, error_description: description });
  return reply.code(status).type('text/html; charset=utf-8').send(errorPage(status >= 500 ? 'Something went wrong' : 'Request refused', description));
}

/** Seconds a client is told to wait when the database or Redis is away: long enough not to hammer it, short enough to notice it back. */
const UNAVAILABLE_RETRY_AFTER_SEC = 5;

/** A backing service is away: 503 with Retry-After (RFC 6749 `temporarily_unavailable` on API paths), logged without the driver's message. */
function unavailable(error: ServiceUnavailableError, request: FastifyRequest, reply: FastifyReply) {
  const cause = error.cause as { code?: unknown; name?: unknown } | undefined;
  request.log.warn({ service: error.service, cause: cause?.code ?? cause?.name }, 'backing service unavailable');
  reply.header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SEC));
  return sendError(request, reply, 503, 'temporarily_unavailable', `the ${error.service} is unavailable; try again in ${UNAVAILABLE_RETRY_AFTER_SEC} s`);
}
