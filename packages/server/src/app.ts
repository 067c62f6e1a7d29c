/** The composition root: configuration → domain context → HTTP server. */
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.js';
import { createKeyturn } from './compose.js';
import type { Keyturn } from './domain/context.js';
import { collectGarbage, pruneRetiredKeys } from './domain/housekeeping.js';
import { drain } from './http/lib/drain.js';
import { buildHttpServer, type HttpOptions } from './http/server.js';
import { createEventBus } from './observability/eventBus.js';
import { logSecurityEvents } from './observability/logEvents.js';
import { createMetrics } from './observability/metrics.js';
import { startMetricsServer, type MetricsServer } from './observability/metricsServer.js';

export interface RunningServer {
  kt: Keyturn;
  app: FastifyInstance;
  /** Base URL the server listens on (not necessarily the issuer). */
  url: string;
  /** Base URL of the metrics listener (`/metrics`), or null when `metricsPort` is not set. */
  metricsUrl: string | null;
  /** Runs one housekeeping pass now (what the timer does every `gcIntervalSec`). */
  housekeeping(): Promise<void>;
  /** Drains HTTP (in-flight requests get `shutdownTimeoutSec`, then connections are closed), then closes storage. */
  close(): Promise<void>;
}

export interface StartOptions extends HttpOptions {
  now?: () => number;
}

/**
 * Opens storage, ensures a signing key, and listens on `config.host:config.port` (0 = a free
 * port); with `metricsPort`, also serves `/metrics` there. Security events go to the log (and
 * the metrics).
 */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const events = createEventBus();
  const kt = await createKeyturn(config, { ...(options.now ? { now: options.now } : {}), events });
  const metrics = config.metricsPort === null ? null : createMetrics(kt);
  let app: FastifyInstance | undefined;
  let metricsServer: MetricsServer | null = null;
  try {
    app = await buildHttpServer(kt, { ...options, trustProxy: options.trustProxy ?? config.trustProxyHops, ...(metrics ? { observe: metrics.observe } : {}) });
    events.subscribe(logSecurityEvents(app.log));
    if (metrics) events.subscribe(metrics.onEvent);
    await app.listen({ port: config.port, host: config.host });
    if (metrics && config.metricsPort !== null) metricsServer = await startMetricsServer(metrics.registry, config.metricsPort, config.metricsHost);
  } catch (err) {
    await app?.close();
    await kt.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  // With port 0 the issuer's port is only known now.
  if (config.issuerFromAddress) config.issuer = `http://${host}:${port}`;
  const housekeeping = startHousekeeping(kt, app);
  return {
    kt,
    app,
    url: `http://${host}:${port}`,
    metricsUrl: metricsServer?.url ?? null,
    housekeeping: housekeeping.runNow,
    async close() {
      await metricsServer?.close();
      await housekeeping.stop();
      if (!(await drain(app, kt.config.shutdownTimeoutSec * 1000))) app.log.warn({ afterSec: kt.config.shutdownTimeoutSec }, 'closed connections still open after the shutdown timeout');
      await kt.close();
    },
  };
}

/**
 * Periodic housekeeping while serving: a bounded gc pass and pruning of retired signing
 * keys every `gcIntervalSec` (0 = off; then run `keyturn gc` and `keyturn keys prune` from
 * cron). The timer never keeps the process alive, passes never overlap, and `stop` waits
 * for a running pass so storage is not closed under it.
 */
function startHousekeeping(kt: Keyturn, app: FastifyInstance): { runNow(): Promise<void>; stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const runNow = (): Promise<void> => {
    running ??= (async () => {
      try {
        const gc = await collectGarbage(kt);
        const pruned = await pruneRetiredKeys(kt);
        if (gc.deleted > 0 || pruned.length > 0) app.log.info({ deleted: gc.deleted, complete: gc.complete, keysPruned: pruned.length }, 'housekeeping');
      } catch (err) {
        app.log.error({ err: { type: (err as Error).name, message: (err as Error).message } }, 'housekeeping failed');
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = kt.config.gcIntervalSec > 0 ? setInterval(() => void runNow(), kt.config.gcIntervalSec * 1000) : null;
  timer?.unref();
  return {
    runNow,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
