/** `keyturn serve`: runs the token server until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { startServer } from '../app.js';
import { fromConfigError } from './lib/configError.js';

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
    .action(async (flags: ServeFlags) => {
      let config;
      try {
        config = loadConfig(flags);
      } catch (err) {
        if (err instanceof ConfigError) throw fromConfigError(err);
        throw err;
      }
      const server = await startServer(config, { logger: config.logLevel !== 'silent', logLevel: config.logLevel });
      process.stdout.write(
        [
          `Keyturn is listening on ${server.url} (issuer ${config.issuer}, database ${config.database.startsWith('postgres') ? 'PostgreSQL' : config.database}).`,
          `Sign in at ${config.issuer}/signin. No account yet? Create one:`,
          `  printf '%s' 'a-long-password' | npx keyturn user add --email you@example.com --password-stdin`,
          `Discovery: ${config.issuer}/.well-known/openid-configuration`,
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
