/** The timeouts of the HTTP server, set on purpose from configuration rather than left to fastify's and Node's defaults. */
import type { ServerConfig } from '../../config.js';

/** How often Node sweeps connections for an expired headers or request timeout (its default is 30 s). */
const CHECK_EVERY_MS = 1_000;

/** The part of fastify's options that bounds how long a client may hold a connection. */
export interface ServerTimeoutOptions {
  requestTimeout: number;
  keepAliveTimeout: number;
  http: { headersTimeout: number; connectionsCheckingInterval: number };
}

/**
 * Fastify options from the configured timeouts. Fastify turns Node's whole-request timeout off
 * by default, so a client that sent complete headers and then no body (or a byte now and then)
 * held its connection, and the drain on SIGTERM, forever. Node only checks the headers and
 * request timeouts on a sweep, so the sweep runs every second: a connection is closed at most
 * a second after its timeout.
 *
 * @example
 * ```ts
 * const app = Fastify({ ...serverTimeouts(kt.config), bodyLimit: 64 * 1024 });
 * ```
 */
export function serverTimeouts(config: Pick<ServerConfig, 'headersTimeoutSec' | 'requestTimeoutSec' | 'keepAliveTimeoutSec'>): ServerTimeoutOptions {
  return {
    requestTimeout: config.requestTimeoutSec * 1000,
    keepAliveTimeout: config.keepAliveTimeoutSec * 1000,
    http: { headersTimeout: config.headersTimeoutSec * 1000, connectionsCheckingInterval: CHECK_EVERY_MS },
  };
}
