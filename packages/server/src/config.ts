/** Server configuration: defaults, environment variables and command-line flags, in that order of precedence (flags win). */
import path from 'node:path';

export type SigningAlg = 'RS256' | 'ES256' | 'EdDSA';
export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256', 'EdDSA'];

export interface ServerConfig {
  port: number;
  host: string;
  /** Public base URL; `iss` of every token. No trailing slash. */
  issuer: string;
  /** True when no issuer was given: it is the listening address (known only after listen when port is 0). */
  issuerFromAddress: boolean;
  /** SQLite path or postgres:// URL. */
  database: string;
  redisUrl: string | null;
  /** Prefix of every Redis key this server writes (e.g. `keyturn:`), so deployments and test runs can share one Redis. */
  redisPrefix: string;
  /** Server secret from KEYTURN_SECRET; when null a secret file in `dataDir` is used. */
  secret: string | null;
  dataDir: string;
  signingAlg: SigningAlg;
  accessTokenTtlSec: number;
  codeTtlSec: number;
  refreshTokenTtlSec: number;
  ssoTtlSec: number;
  /** How long a repeated refresh with a just-spent rotating token returns the same successor. */
  rotationRetryWindowSec: number;
  /** Failed sign-ins per account or address before answers are slowed, and before they are refused. */
  loginSlowAfter: number;
  loginLockAfter: number;
  loginWindowSec: number;
  /**
   * Failed client authentications (wrong secret, unknown client) from one address inside
   * `loginWindowSec` before the token, revocation and introspection endpoints answer 429 to it.
   */
  clientAuthLockAfter: number;
  /**
   * How many reverse proxies in front of the server append to X-Forwarded-For (0: none, the
   * socket address is the client's). With N, the client address is the Nth entry from the right:
   * what a client writes further left is ignored, so it cannot pick its own rate-limit key.
   */
  trustProxyHops: number;
  /** Seconds between housekeeping passes while serving; 0 turns it off. */
  gcIntervalSec: number;
  /** How long a process trusts its cached signing keys before re-reading them (picks up `keys rotate` from elsewhere). */
  keyCacheSec: number;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Port of the Prometheus listener (`/metrics`); null = no metrics (the default). */
  metricsPort: number | null;
  /** Address of the metrics listener; loopback by default so metrics are never public by accident. */
  metricsHost: string;
  /** `json` (one JSON object per line, for a collector) or `pretty` (for a person at a terminal). */
  logFormat: 'json' | 'pretty';
}

export interface ConfigFlags {
  port?: string | number | undefined;
  host?: string | undefined;
  issuer?: string | undefined;
  database?: string | undefined;
  redis?: string | undefined;
  dataDir?: string | undefined;
  signingAlg?: string | undefined;
  trustProxy?: string | number | undefined;
  metricsPort?: string | number | undefined;
  metricsHost?: string | undefined;
  logFormat?: string | undefined;
}

export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const DAY = 86_400;

/** Builds the configuration; throws `ConfigError` with a clear message on a bad value. */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = parsePort(flags.port ?? env.KEYTURN_PORT ?? '8080');
  const host = flags.host ?? env.KEYTURN_HOST ?? '127.0.0.1';
  const dataDir = path.resolve(flags.dataDir ?? env.KEYTURN_DATA_DIR ?? 'data');
  const explicitIssuer = flags.issuer ?? env.KEYTURN_ISSUER;
  const issuer = normaliseIssuer(explicitIssuer ?? `http://${urlHost(host)}:${port}`);
  const database = flags.database ?? env.KEYTURN_DATABASE_URL ?? path.join(dataDir, 'keyturn.db');
  const alg = flags.signingAlg ?? env.KEYTURN_SIGNING_ALG ?? 'RS256';
  if (!SIGNING_ALGS.includes(alg as SigningAlg)) {
    throw new ConfigError(`signing algorithm must be one of ${SIGNING_ALGS.join(', ')}, not "${alg}"`);
  }
  return {
    port,
    host,
    issuer,
    issuerFromAddress: explicitIssuer === undefined,
    database,
    redisUrl: flags.redis ?? env.KEYTURN_REDIS_URL ?? null,
    redisPrefix: env.KEYTURN_REDIS_PREFIX ?? 'keyturn:',
    secret: env.KEYTURN_SECRET ?? null,
    dataDir,
    signingAlg: alg as SigningAlg,
    accessTokenTtlSec: positiveInt(env.KEYTURN_ACCESS_TOKEN_TTL, 3600, 'KEYTURN_ACCESS_TOKEN_TTL'),
    codeTtlSec: positiveInt(env.KEYTURN_CODE_TTL, 60, 'KEYTURN_CODE_TTL'),
    refreshTokenTtlSec: positiveInt(env.KEYTURN_REFRESH_TOKEN_TTL, 60 * DAY, 'KEYTURN_REFRESH_TOKEN_TTL'),
    ssoTtlSec: positiveInt(env.KEYTURN_SSO_TTL, 60 * DAY, 'KEYTURN_SSO_TTL'),
    rotationRetryWindowSec: positiveInt(env.KEYTURN_ROTATION_RETRY_WINDOW, 10, 'KEYTURN_ROTATION_RETRY_WINDOW', true),
    loginSlowAfter: 5,
    loginLockAfter: 10,
    loginWindowSec: 15 * 60,
    clientAuthLockAfter: 20,
    trustProxyHops: positiveInt(flags.trustProxy !== undefined ? String(flags.trustProxy) : env.KEYTURN_TRUST_PROXY, 0, '--trust-proxy (KEYTURN_TRUST_PROXY)', true, ' of proxies'),
    gcIntervalSec: positiveInt(env.KEYTURN_GC_INTERVAL, 300, 'KEYTURN_GC_INTERVAL', true),
    keyCacheSec: positiveInt(env.KEYTURN_KEY_CACHE, 30, 'KEYTURN_KEY_CACHE', true),
    logLevel: (env.KEYTURN_LOG_LEVEL as ServerConfig['logLevel'] | undefined) ?? 'info',
    ...operatingConfig(flags, env),
  };
}

function parsePort(value: string | number, name = 'port'): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a whole number from 0 to 65535, not "${value}"`);
  return n;
}

function positiveInt(value: string | undefined, fallback: number, name: string, allowZero = false, unit = ' of seconds'): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new ConfigError(`${name} must be a whole number${unit}, not "${value}"`);
  return n;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function normaliseIssuer(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`issuer must be an absolute http(s) URL, not "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('issuer must use http or https');
  if (url.search || url.hash) throw new ConfigError('issuer must not have a query or fragment');
  return url.href.replace(/\/+$/, '');
}

/** Metrics listener and log format (issue 11): `--metrics-port`, `--metrics-host`, `--log-format`. */
function operatingConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv): Pick<ServerConfig, 'metricsPort' | 'metricsHost' | 'logFormat'> {
  const port = flags.metricsPort ?? env.KEYTURN_METRICS_PORT;
  const logFormat = flags.logFormat ?? env.KEYTURN_LOG_FORMAT ?? 'json';
  if (logFormat !== 'json' && logFormat !== 'pretty') throw new ConfigError(`--log-format (KEYTURN_LOG_FORMAT) must be json or pretty, not "${logFormat}"`);
  return {
    metricsPort: port === undefined || port === '' ? null : parsePort(port, '--metrics-port (KEYTURN_METRICS_PORT)'),
    metricsHost: flags.metricsHost ?? env.KEYTURN_METRICS_HOST ?? '127.0.0.1',
    logFormat,
  };
}
