/**
 * The HTTP layer: a fastify instance with the routes, security headers, and one error
 * handler that answers RFC 6749 JSON on API paths and an HTML page elsewhere — never a
 * stack, a SQL error, or a 5xx for bad input.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Keyturn } from '../domain/context.js';
import { OAuthError } from '../domain/errors.js';
import { errorPage } from './views/pages.js';
import { registerPageRoutes } from './routes/pages.js';
import { registerSsoRoutes } from './routes/sso.js';
import { registerAuthorizeRoute } from './routes/authorize.js';
import { registerTokenRoute } from './routes/token.js';
import { registerWellKnownRoutes } from './routes/wellKnown.js';
import { registerRevokeRoute } from './routes/revoke.js';
import { registerIntrospectRoute } from './routes/introspect.js';
import { registerUserInfoRoute } from './routes/userinfo.js';
import { registerSignOutRoute } from './routes/signout.js';
import { registerAccountRoutes } from './routes/account.js';

export interface HttpOptions {
  /** Log requests (method, path without query, status); tokens and cookies are never logged. */
  logger?: boolean;
  logLevel?: string;
  /** Where log lines go (default stdout); tests capture them to check that no secret is logged. */
  logStream?: { write(line: string): void };
  /** false, or the number of proxy hops to trust (config trustProxyHops). */
  trustProxy?: boolean | number;
}

/** A route module: adds its routes to the app. */
export type RouteModule = (app: FastifyInstance, kt: Keyturn) => void;

/** Route modules, in one list so new endpoints are one line here. */
export const routeModules: RouteModule[] = [registerPageRoutes, registerSsoRoutes, registerAuthorizeRoute, registerTokenRoute, registerWellKnownRoutes, registerRevokeRoute, registerIntrospectRoute, registerUserInfoRoute, registerSignOutRoute, registerAccountRoutes];

export async function buildHttpServer(kt: Keyturn, options: HttpOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger
      ? {
          level: options.logLevel ?? 'info',
          ...(options.logStream ? { stream: options.logStream } : {}),
          serializers: {
            // Only the path: queries can carry codes and state; headers carry cookies.
            req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        }
      : false,
    bodyLimit: 64 * 1024,
    // A hop count becomes proxy-addr's trust function: the socket and the next hops-1 addresses are our proxies.
    trustProxy: typeof options.trustProxy === 'number' ? trustHops(options.trustProxy) : (options.trustProxy ?? false),
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      reply.header('X-Frame-Options', 'DENY');
      reply.header('Content-Security-Policy', "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'");
      reply.header('Cache-Control', 'no-store');
    }
    return payload;
  });

  app.setErrorHandler((error: FastifyError | Error, request, reply) => handleError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    if (wantsJson(request)) return reply.code(404).send({ error: 'not_found', error_description: 'no such endpoint' });
    return reply.code(404).type('text/html; charset=utf-8').send(errorPage('Page not found', 'There is nothing at this address.'));
  });

  for (const register of routeModules) register(app, kt);
  return app;
}

function trustHops(hops: number): boolean | ((address: string, hop: number) => boolean) {
  return hops > 0 ? (_address, hop) => hop < hops : false;
}

function wantsJson(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return path.startsWith('/api/') || path.startsWith('/.well-known/');
}

function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof OAuthError) {
    if (error.error === 'invalid_client' && /^basic /i.test(request.headers.authorization ?? '')) {
      reply.header('WWW-Authenticate', 'Basic realm="keyturn", charset="UTF-8"');
    }
    if (error.retryAfterSec !== undefined) reply.header('Retry-After', String(error.retryAfterSec));
    return sendError(request, reply, error.status, error.error, error.description);
  }
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
