/**
 * The HTTP layer: a fastify instance with the routes, security headers, and one error
 * handler that answers RFC 6749 JSON on API paths and an HTML page elsewhere — never a
 * stack, a SQL error, or a 5xx for bad input.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Keyturn } from '../domain/context.js';
import { handleError, wantsJson } from './errorHandler.js';
import { errorPage } from './views/pages.js';
import { serverTimeouts } from './lib/serverTimeouts.js';
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
import { registerDeviceAuthorizationRoute } from './routes/deviceAuthorization.js';
import { registerDeviceRoutes } from './routes/device.js';
import { registerHealthRoutes } from './routes/health.js';
import { requestIdOf } from './lib/requestLog.js';

export interface HttpOptions {
  /** Log requests (method, path without query, status); tokens and cookies are never logged. */
  logger?: boolean;
  logLevel?: string;
  /** Where log lines go (default stdout); tests capture them to check that no secret is logged. */
  logStream?: { write(line: string): void };
  /** false, or the number of proxy hops to trust (config trustProxyHops). */
  trustProxy?: boolean | number;
  /** Told of every answered request (metrics): the route pattern (never the raw URL), method, status and seconds taken. */
  observe?: (sample: HttpSample) => void;
}

/** One answered request, as `HttpOptions.observe` sees it. */
export interface HttpSample {
  /** The route pattern (`/api/authz/v3/oauth/token`), or `unmatched` for a 404 of no route. */
  route: string;
  method: string;
  status: number;
  seconds: number;
}

/** A route module: adds its routes to the app. */
export type RouteModule = (app: FastifyInstance, kt: Keyturn) => void;

/** Route modules, in one list so new endpoints are one line here. */
export const routeModules: RouteModule[] = [registerPageRoutes, registerSsoRoutes, registerAuthorizeRoute, registerTokenRoute, registerWellKnownRoutes, registerRevokeRoute, registerIntrospectRoute, registerUserInfoRoute, registerSignOutRoute, registerAccountRoutes];
routeModules.push(registerDeviceAuthorizationRoute, registerDeviceRoutes, registerHealthRoutes);

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
    // X-Request-Id of a sane shape is kept (a proxy's correlation id), else one is made; echoed below.
    requestIdHeader: false,
    genReqId: requestIdOf,
    routerOptions: { maxParamLength: 200 },
    ...serverTimeouts(kt.config),
  });
  // Node keeps a socket's peer address once read: read it on accept, so that request.ip (and
  // every per-address limit) still knows the client after it reset the connection mid-request.
  app.server.on('connection', (socket: { remoteAddress?: string | undefined }) => void socket.remoteAddress);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Request-Id', request.id);
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

  const observe = options.observe;
  if (observe) {
    app.addHook('onResponse', async (request, reply) => {
      observe({ route: request.routeOptions.url ?? 'unmatched', method: request.method, status: reply.statusCode, seconds: reply.elapsedTime / 1000 });
    });
  }

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
