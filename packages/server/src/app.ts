/** The composition root: configuration → domain context → HTTP server. */
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.js';
import { createKeyturn, type Keyturn } from './domain/context.js';
import { buildHttpServer, type HttpOptions } from './http/server.js';

export interface RunningServer {
  kt: Keyturn;
  app: FastifyInstance;
  /** Base URL the server listens on (not necessarily the issuer). */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions extends HttpOptions {
  now?: () => number;
}

/** Opens storage, ensures a signing key, and listens on `config.host:config.port` (0 = a free port). */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const kt = await createKeyturn(config, options.now ? { now: options.now } : {});
  let app: FastifyInstance;
  try {
    app = await buildHttpServer(kt, options);
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await kt.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  // With port 0 the issuer's port is only known now.
  if (config.issuerFromAddress) config.issuer = `http://${host}:${port}`;
  return {
    kt,
    app,
    url: `http://${host}:${port}`,
    async close() {
      await app.close();
      await kt.close();
    },
  };
}
