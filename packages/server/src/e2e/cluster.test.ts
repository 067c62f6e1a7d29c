/**
 * Two server instances (separate pools and key rings) behind one issuer on one PostgreSQL
 * database: whatever one issued, the other refreshes, introspects, serves and revokes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aClient, type TestClient } from '../test-support/clients.js';
import { testBackends } from '../test-support/databases.js';
import { introspect, revoke, userinfo } from '../test-support/endpoints.js';
import { refresh, signInTokens } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

const ISSUER = 'http://keyturn.test';

describe.skipIf(!testBackends().includes('postgres'))('two server instances (separate pools and key rings) on one PostgreSQL database', () => {
  let a: TestServer;
  let b: TestServer;
  let npsso: string;
  let app: TestClient;

  beforeAll(async () => {
    // One public issuer in front of both, as behind a load balancer.
    a = await startTestServer({ backend: 'postgres', config: { issuer: ISSUER, issuerFromAddress: false } });
    b = await startTestServer({ config: { issuer: ISSUER, issuerFromAddress: false, database: a.database } });
    app = await aClient(a, { policy: 'rotate' });
    npsso = await (await aPerson(a)).signIn();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('refreshes, introspects, serves userinfo and revokes on one instance what the other issued', async () => {
    const t = await signInTokens(a, npsso, app);
    expect(await introspect(b, app, t.access_token)).toMatchObject({ active: true, client_id: app.id, iss: ISSUER });
    expect((await userinfo(b, t.access_token)).status).toBe(200);
    const next = await refresh(b, app, t.refresh_token);
    expect(next.status).toBe(200);
    expect(await introspect(a, app, next.body.refresh_token as string)).toMatchObject({ active: true });
    expect((await revoke(b, app, next.body.refresh_token as string)).status).toBe(200);
    expect(await introspect(a, app, t.access_token)).toEqual({ active: false });
    expect(await refresh(a, app, next.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('keeps one lineage when 20 concurrent rotations of one token are split across both instances', async () => {
    const t = await signInTokens(a, npsso, app);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => refresh(i % 2 ? a : b, app, t.refresh_token)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    const successors = new Set(answers.map((r) => r.body.refresh_token));
    expect(successors.size).toBe(1);
    expect((await refresh(a, app, [...successors][0] as string)).status).toBe(200);
  });
});
