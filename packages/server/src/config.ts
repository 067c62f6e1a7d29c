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
  /**
   * Rotation retries across an outage: for this long after the server starts, a retry of a
   * token spent before the start (its answer may have been lost with the old process) still
   * gets the same successor, if that successor was never used. 0 turns it off.
   */
  rotationRetryAfterRestartSec: number;
  /** ... but only for tokens spent at most this long before the start (the longest outage covered). */
  rotationRetryMaxOutageSec: number;
  /** Every per-address limit counts an IPv6 client by its network of this many bits (1..128; default 64); IPv4 per address. */
  ipv6Prefix: number;
  /**
   * Argon2 operations (password and client-secret hashing and checks) run at once, at most; they
   * leave the rest of libuv's thread pool to token signing. Default 1.
   */
  hashConcurrency: number;
  /** Argon2 operations that may wait for a turn (default 64); past that the request gets 503 with Retry-After. */
  hashQueueLength: number;
  /** Device sign-in (RFC 8628): how long a device code and its user code live (KEYTURN_DEVICE_CODE_TTL, --device-code-ttl). */
  deviceCodeTtlSec: number;
  /** The polling interval a device is told to keep at first; each `slow_down` adds 5 s. */
  deviceIntervalSec: number;
  /** Wrong user codes on /device per address, and per SSO session, inside `loginWindowSec` before it answers 429. */
  deviceCodeLockAfter: number;
  /** Days the audit trail keeps an event; housekeeping deletes older ones (`--audit-retention`). */
  auditRetentionDays: number;
  // Timeouts and drain (issue 9, finding 2): what a slow or silent client may hold open.
  /** Seconds a client has to send the request line and headers before the connection is closed. */
  headersTimeoutSec: number;
  /** Seconds a client has to send the whole request, headers and body; past it the answer is 408 and the connection closes. */
  requestTimeoutSec: number;
  /** Seconds an idle keep-alive connection is kept; longer than a load balancer's idle timeout (often 60 s). */
  keepAliveTimeoutSec: number;
  /** On SIGTERM/SIGINT: seconds in-flight requests may take to finish before remaining connections are closed. */
  shutdownTimeoutSec: number;
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
  rotationRetryAfterRestart?: string | undefined;
  rotationRetryMaxOutage?: string | undefined;
  ipv6Prefix?: string | number | undefined;
  deviceCodeTtl?: string | number | undefined;
  auditRetention?: string | number | undefined;
  headersTimeout?: string | undefined;
  requestTimeout?: string | undefined;
  keepAliveTimeout?: string | undefined;
  shutdownTimeout?: string | undefined;
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
    rotationRetryAfterRestartSec: positiveInt(flags.rotationRetryAfterRestart ?? env.KEYTURN_ROTATION_RETRY_AFTER_RESTART, 60, '--rotation-retry-after-restart (KEYTURN_ROTATION_RETRY_AFTER_RESTART)', true),
    rotationRetryMaxOutageSec: positiveInt(flags.rotationRetryMaxOutage ?? env.KEYTURN_ROTATION_RETRY_MAX_OUTAGE, 3600, '--rotation-retry-max-outage (KEYTURN_ROTATION_RETRY_MAX_OUTAGE)', true),
    deviceCodeTtlSec: positiveInt(flags.deviceCodeTtl !== undefined ? String(flags.deviceCodeTtl) : env.KEYTURN_DEVICE_CODE_TTL, 600, '--device-code-ttl (KEYTURN_DEVICE_CODE_TTL)'),
    deviceIntervalSec: 5,
    deviceCodeLockAfter: 10,
    auditRetentionDays: positiveInt(flags.auditRetention !== undefined ? String(flags.auditRetention) : env.KEYTURN_AUDIT_RETENTION, 90, '--audit-retention (KEYTURN_AUDIT_RETENTION)', false, ' of days'),
    ...limitsConfig(flags, env),
    ...loadTimeouts(flags, env),
    ...operatingConfig(flags, env),
  };
}

/** The settings of the limits that cannot be skipped (issue 9): address grouping and the argon2 queue. */
function limitsConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv): Pick<ServerConfig, 'ipv6Prefix' | 'hashConcurrency' | 'hashQueueLength'> {
  const prefix = flags.ipv6Prefix ?? env.KEYTURN_IPV6_PREFIX ?? '64';
  const ipv6Prefix = Number(prefix);
  if (!Number.isInteger(ipv6Prefix) || ipv6Prefix < 1 || ipv6Prefix > 128) {
    throw new ConfigError(`--ipv6-prefix (KEYTURN_IPV6_PREFIX) must be a whole number of bits from 1 to 128, not "${prefix}"`);
  }
  return {
    ipv6Prefix,
    hashConcurrency: positiveInt(env.KEYTURN_HASH_CONCURRENCY, 1, 'KEYTURN_HASH_CONCURRENCY', false, ''),
    hashQueueLength: positiveInt(env.KEYTURN_HASH_QUEUE, 64, 'KEYTURN_HASH_QUEUE', true, ''),
  };
}

/** The timeouts of `ServerConfig` (flag > env > default); headers must arrive within the whole-request time. */
function loadTimeouts(flags: ConfigFlags, env: NodeJS.ProcessEnv): Pick<ServerConfig, 'headersTimeoutSec' | 'requestTimeoutSec' | 'keepAliveTimeoutSec' | 'shutdownTimeoutSec'> {
  const requestTimeoutSec = positiveInt(flags.requestTimeout ?? env.KEYTURN_REQUEST_TIMEOUT, 30, '--request-timeout (KEYTURN_REQUEST_TIMEOUT)');
  const headersTimeoutSec = positiveInt(flags.headersTimeout ?? env.KEYTURN_HEADERS_TIMEOUT, Math.min(10, requestTimeoutSec), '--headers-timeout (KEYTURN_HEADERS_TIMEOUT)');
  if (headersTimeoutSec > requestTimeoutSec) throw new ConfigError(`the headers timeout (${headersTimeoutSec} s) must not exceed the request timeout (${requestTimeoutSec} s)`);
  return {
    headersTimeoutSec,
    requestTimeoutSec,
    keepAliveTimeoutSec: positiveInt(flags.keepAliveTimeout ?? env.KEYTURN_KEEP_ALIVE_TIMEOUT, 72, '--keep-alive-timeout (KEYTURN_KEEP_ALIVE_TIMEOUT)'),
    shutdownTimeoutSec: positiveInt(flags.shutdownTimeout ?? env.KEYTURN_SHUTDOWN_TIMEOUT, 10, '--shutdown-timeout (KEYTURN_SHUTDOWN_TIMEOUT)', true),
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
