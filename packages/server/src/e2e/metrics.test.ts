/**
 * Prometheus metrics on their own listener: a scripted flow (n code exchanges, m failed
 * sign-ins ending in a lockout, k refresh-token reuse detections, a wrong client secret) is
 * counted exactly, on SQLite and PostgreSQL, and no label carries a token, an email or a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../test-support/browser.js';
import { aClient, basic, type TestClient } from '../test-support/clients.js';
import { testBackends } from '../test-support/databases.js';
import { scrapeMetrics, series, type Scrape } from '../test-support/metrics.js';
import { refresh, signInTokens, tokenRequest, type TokenBody } from '../test-support/oauth.js';
import { PATHS } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

const EXCHANGES = 3;
const REUSES = 2;
const LOCK = 5;

describe.each(testBackends())('metrics of a scripted flow (%s)', (backend) => {
  let s: TestServer;
  let app: TestClient;
  let pub: TestClient;
  let text = '';
  let scrape: Scrape;
  const secrets: string[] = [];
  let eveEmail = '';
  let adaEmail = '';

  beforeAll(async () => {
    s = await startTestServer({ backend, config: { metricsPort: 0, loginSlowAfter: 1000, loginLockAfter: LOCK } });
    app = await aClient(s, { id: 'metrics-app' });
    pub = await aClient(s, { id: 'metrics-pub', public: true });
    const ada = await aPerson(s);
    const eve = await aPerson(s);
    adaEmail = ada.email;
    eveEmail = eve.email;
    const npsso = await ada.signIn();
    secrets.push(npsso, app.secret!);

    for (let i = 0; i < EXCHANGES; i++) {
      const tokens = await signInTokens(s, npsso, app);
      secrets.push(tokens.access_token, tokens.refresh_token);
    }
    // k reuse detections: rotate once, then present the spent token again (no retry window).
    s.kt.config.rotationRetryWindowSec = 0;
    for (let i = 0; i < REUSES; i++) {
      const first: TokenBody = await signInTokens(s, npsso, pub);
      const rotated = await refresh(s, pub, first.refresh_token);
      expect(rotated.status).toBe(200);
      const reused = await refresh(s, pub, first.refresh_token);
      expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      secrets.push(first.refresh_token, rotated.body.refresh_token as string);
    }
    // One wrong client secret.
    const wrong = await tokenRequest(s, { grant_type: 'refresh_token', refresh_token: 'whatever' }, basic(app.id, 'not-the-secret'));
    expect(wrong.status).toBe(401);
    // m failed sign-ins: LOCK wrong passwords (the last one locks), then one refused unchecked.
    for (let i = 0; i < LOCK; i++) expect((await new Browser(s).signIn(eve.email, `wrong-${i}`)).status).toBe(401);
    expect((await new Browser(s).signIn(eve.email, eve.password)).status).toBe(429);

    ({ text, scrape } = await scrapeMetrics(`${s.server.metricsUrl}/metrics`));
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('counts grants issued by grant type, client and outcome', () => {
    const grants = (grant_type: string, client: string, outcome: string) => series(scrape, 'keyturn_grants_total', { grant_type, client, outcome });
    expect(grants('authorization_code', app.id, 'ok')).toBe(EXCHANGES);
    expect(grants('authorization_code', pub.id, 'ok')).toBe(REUSES);
    expect(grants('refresh_token', pub.id, 'ok')).toBe(REUSES);
    expect(grants('refresh_token', pub.id, 'invalid_grant')).toBe(REUSES);
    // The client failed to authenticate: it is not named (an id a caller sends is not a label).
    expect(grants('refresh_token', 'unknown', 'invalid_client')).toBe(1);
  });

  it('counts refresh-token reuse, sign-in failures, the lockout, client-auth failures and 429s', () => {
    expect(series(scrape, 'keyturn_refresh_token_reuse_total', { client: pub.id })).toBe(REUSES);
    expect(series(scrape, 'keyturn_sign_in_failures_total', { reason: 'invalid_credentials' })).toBe(LOCK);
    expect(series(scrape, 'keyturn_sign_in_failures_total', { reason: 'locked' })).toBe(1);
    expect(series(scrape, 'keyturn_lockouts_total')).toBe(1);
    expect(series(scrape, 'keyturn_client_auth_failures_total', { client: app.id })).toBe(1);
    expect(series(scrape, 'keyturn_rate_limited_total', { route: PATHS.signin })).toBe(1);
  });

  it('times requests per route pattern and status, and counts live grants and SSO sessions', () => {
    const token = (status: string) => series(scrape, 'keyturn_http_request_duration_seconds_count', { route: PATHS.token, method: 'POST', status });
    expect(token('200')).toBe(EXCHANGES + 2 * REUSES);
    expect(token('400')).toBe(REUSES);
    expect(token('401')).toBe(1);
    // The authorize route is one series whatever the query string was.
    expect(series(scrape, 'keyturn_http_request_duration_seconds_count', { route: PATHS.authorize, method: 'GET', status: '302' })).toBe(EXCHANGES + REUSES);
    // Ada's grants with the app live; the reused families were revoked. Ada's one browser.
    expect(series(scrape, 'keyturn_active_grants')).toBe(EXCHANGES);
    expect(series(scrape, 'keyturn_active_sso_sessions')).toBe(1);
  });

  it('puts no token, email, secret or query string in any label', () => {
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain(adaEmail);
    expect(text).not.toContain(eveEmail);
    expect(text).not.toMatch(/route="[^"]*\?/);
  });

  it('serves metrics only on the metrics listener, on 127.0.0.1 by default', async () => {
    expect(s.server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.server.metricsUrl).not.toBe(s.url);
    expect((await fetch(`${s.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${s.server.metricsUrl}/other`)).status).toBe(404);
  });
});

describe('metrics are off by default', () => {
  it('opens no metrics listener without --metrics-port', async () => {
    const s = await startTestServer({});
    try {
      expect(s.kt.config.metricsPort).toBeNull();
      expect(s.server.metricsUrl).toBeNull();
    } finally {
      await s.close();
    }
  });
});
