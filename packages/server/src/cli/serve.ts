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
