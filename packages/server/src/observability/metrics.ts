/**
 * The Prometheus metrics of one server process (prom-client, a registry of its own): counters
 * fed by the domain's security events and the HTTP layer's answers, gauges read from the
 * database at scrape time. No label ever holds a token, an email, a secret or a raw URL:
 * clients are registered ids (or `unknown`), routes are patterns, grant types and outcomes
 * come from fixed sets.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Keyturn } from '../domain/context.js';
import type { SecurityEvent } from '../domain/securityEvents.js';
import type { HttpSample } from '../http/server.js';

/** How long the gauges' COUNTs are reused: scrapes every few seconds must not become database load. */
export const GAUGE_CACHE_MS = 5_000;

const GRANT_TYPES = new Set(['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'client_credentials', 'password']);
const OUTCOME = /^[a-z_]{1,40}$/;

export interface Metrics {
  readonly registry: Registry;
  /** Feed for `HttpOptions.observe`. */
  observe(sample: HttpSample): void;
  /** Subscriber for the security event bus. */
  onEvent(event: SecurityEvent): void;
}

/**
 * Creates the metrics of `kt`'s process.
 *
 * @example
 * ```ts
 * const metrics = createMetrics(kt);
 * events.subscribe(metrics.onEvent);
 * const text = await metrics.registry.metrics();
 * ```
 */
export function createMetrics(kt: Keyturn): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [registry] });

  const grants = counter('keyturn_grants_total', 'Token endpoint answers by grant type, client and outcome (ok, or the RFC 6749 error code).', ['grant_type', 'client', 'outcome']);
  const reuse = counter('keyturn_refresh_token_reuse_total', 'Spent rotating refresh tokens presented again (the whole grant was revoked).', ['client']);
  const signInFailures = counter('keyturn_sign_in_failures_total', 'Refused sign-ins: invalid_credentials, or locked (refused without a check).', ['reason']);
  const lockouts = counter('keyturn_lockouts_total', 'Sign-in failures that reached the limit and locked an account or address for the window.');
  const clientAuthFailures = counter('keyturn_client_auth_failures_total', 'Failed client authentications (client is unknown when no such client exists).', ['client']);
  const rateLimited = counter('keyturn_rate_limited_total', 'Requests answered 429 Too Many Requests, by route.', ['route']);
  const duration = new Histogram({
    name: 'keyturn_http_request_duration_seconds',
    help: 'Time to answer a request, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  let cached: { at: number; counts: Promise<{ grants: number; ssoSessions: number }> } | null = null;
  const live = () => {
    const at = performance.now();
    if (!cached || at - cached.at > GAUGE_CACHE_MS) cached = { at, counts: kt.repo.countLive(kt.now()) };
    return cached.counts;
  };
  // A database that is down leaves the last values (and /readyz says why); the scrape still answers.
  const gauge = (name: string, help: string, pick: (c: { grants: number; ssoSessions: number }) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        try {
          this.set(pick(await live()));
        } catch {
          cached = null;
        }
      },
    });
  gauge('keyturn_active_grants', 'Grants (token families) neither revoked nor expired.', (c) => c.grants);
  gauge('keyturn_active_sso_sessions', 'Browser sign-ins (SSO sessions) neither revoked nor expired.', (c) => c.ssoSessions);

  return {
    registry,
    observe(sample) {
      duration.observe({ route: sample.route, method: sample.method, status: String(sample.status) }, sample.seconds);
      if (sample.status === 429) rateLimited.inc({ route: sample.route });
    },
    onEvent(event) {
      const client = event.clientId ?? 'unknown';
      switch (event.type) {
        case 'tokens.issued':
        case 'grant.refused':
          grants.inc({ grant_type: grantTypeLabel(event.grantType), client, outcome: outcomeLabel(event.outcome) });
          break;
        case 'refresh.reuse_detected':
          reuse.inc({ client });
          break;
        case 'signin.failed':
          signInFailures.inc({ reason: 'invalid_credentials' });
          break;
        case 'signin.refused':
          signInFailures.inc({ reason: 'locked' });
          break;
        case 'signin.locked':
          lockouts.inc();
          break;
        case 'client.auth_failed':
          clientAuthFailures.inc({ client });
          break;
        default:
          break;
      }
    },
  };
}

function grantTypeLabel(grantType: string | undefined): string {
  if (grantType === undefined) return 'none';
  return GRANT_TYPES.has(grantType) ? grantType : 'other';
}

function outcomeLabel(outcome: string | undefined): string {
  return outcome !== undefined && OUTCOME.test(outcome) ? outcome : 'other';
}
