/** `keyturn serve`: runs the token server until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { startServer } from '../app.js';
import { prettyStream } from '../observability/prettyLog.js';
import { cliConfig } from './lib/configError.js';
import { startBanner, startFields } from './lib/startBanner.js';
import { explainStartFailure } from './lib/startFailure.js';

interface ServeFlags {
  port?: string;
  host?: string;
  issuer?: string;
  database?: string;
  redis?: string;
  dataDir?: string;
  signingAlg?: string;
  trustProxy?: string;
  rotationRetryAfterRestart?: string;
  rotationRetryMaxOutage?: string;
  ipv6Prefix?: string;
  deviceCodeTtl?: string;
  auditRetention?: string;
  headersTimeout?: string;
  requestTimeout?: string;
  keepAliveTimeout?: string;
  shutdownTimeout?: string;
  metricsPort?: string;
  metricsHost?: string;
  logFormat?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the token server (SQLite under ./data by default)')
    .option('--port <n>', 'port to listen on (env KEYTURN_PORT; default 8080)')
    .option('--host <host>', 'address to listen on (env KEYTURN_HOST; default 127.0.0.1)')
    .option('--issuer <url>', 'public base URL, the iss of every token (env KEYTURN_ISSUER)')
    .option('--database <url-or-path>', 'SQLite file or postgres:// URL (env KEYTURN_DATABASE_URL)')
    .option('--redis <url>', 'Redis for shared sign-in rate limits across processes (env KEYTURN_REDIS_URL)')
    .option('--data-dir <dir>', 'folder for the SQLite file and the secret file (env KEYTURN_DATA_DIR; default ./data)')
    .option('--signing-alg <alg>', 'RS256, ES256 or EdDSA for new signing keys (env KEYTURN_SIGNING_ALG)')
    .option('--trust-proxy <hops>', 'number of reverse proxies that append X-Forwarded-For; 0 = trust none (env KEYTURN_TRUST_PROXY)')
    .option('--rotation-retry-after-restart <s>', 'seconds after start during which a retry of a rotating refresh token spent before the start gets its unused successor again; 0 = off (env KEYTURN_ROTATION_RETRY_AFTER_RESTART; default 60)')
    .option('--rotation-retry-max-outage <s>', 'longest outage that allowance covers, in seconds (env KEYTURN_ROTATION_RETRY_MAX_OUTAGE; default 3600)')
    .option('--ipv6-prefix <bits>', 'rate limits count an IPv6 client by its network of this many bits, 1-128 (env KEYTURN_IPV6_PREFIX; default 64)')
    .option('--device-code-ttl <seconds>', 'how long a device sign-in code lives (env KEYTURN_DEVICE_CODE_TTL; default 600)')
    .option('--audit-retention <days>', 'days the audit trail keeps a security event (env KEYTURN_AUDIT_RETENTION; default 90)')
    .option('--headers-timeout <sec>', 'seconds a client has to send its headers (env KEYTURN_HEADERS_TIMEOUT; default 10)')
    .option('--request-timeout <sec>', 'seconds a client has to send its whole request, body included; then 408 (env KEYTURN_REQUEST_TIMEOUT; default 30)')
    .option('--keep-alive-timeout <sec>', 'seconds an idle keep-alive connection stays open (env KEYTURN_KEEP_ALIVE_TIMEOUT; default 72)')
    .option('--shutdown-timeout <sec>', 'on SIGTERM/SIGINT, seconds requests in flight may take before connections are closed and the process exits 0 (env KEYTURN_SHUTDOWN_TIMEOUT; default 10)')
    .option('--metrics-port <n>', 'serve Prometheus metrics at /metrics on this port (env KEYTURN_METRICS_PORT; default off)')
    .option('--metrics-host <host>', 'address of the metrics listener (env KEYTURN_METRICS_HOST; default 127.0.0.1)')
    .option('--log-format <format>', 'json (one object per line) or pretty (for a terminal) (env KEYTURN_LOG_FORMAT; default json)')
    .action(async (flags: ServeFlags) => {
      const config = cliConfig(flags);
      let server;
      try {
        server = await startServer(config, {
          logger: config.logLevel !== 'silent',
          logLevel: config.logLevel,
          ...(config.logFormat === 'pretty' ? { logStream: prettyStream() } : {}),
        });
      } catch (err) {
        throw explainStartFailure(err, config) ?? err;
      }
      const { kt, app } = server;
      // Only for the banner: a database that drops right after the start must not stop the server here.
      const people = await kt.repo.countLive(kt.now()).then((c) => c.users, () => -1);
      const info = { url: server.url, issuer: config.issuer, database: config.database, people, metricsUrl: server.metricsUrl };
      app.log.info(startFields(info), `Keyturn is listening on ${server.url}`);
      // The banner is for a person: on a terminal only, never mixed into a collected log stream.
      if (process.stderr.isTTY) process.stderr.write(startBanner(info));
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          app.log.info({ signal }, 'Keyturn is stopping');
          server.close().then(
            () => {
              app.log.info('Keyturn stopped');
              resolve();
            },
            (err: unknown) => {
              app.log.error({ err: { type: (err as Error).name, message: (err as Error).message } }, 'Keyturn stopped with an error');
              resolve();
            },
          );
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
