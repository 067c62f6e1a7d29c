/**
 * The seed flow on PostgreSQL, and two server processes on one database: a code, a token or
 * a refresh token issued by one is honoured by the other, with the same signing key.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aClient, PSN, type TestClient } from '../test-support/clients.js';
import { jwks, ssoCookie } from '../test-support/endpoints.js';
import { authorize, codeFrom, refresh, tokenRequest } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

const SECRET = 'postgres-flow-secret-postgres-flow-secret';

describe('the seed flow on PostgreSQL, across two server processes', () => {
  let a: TestServer;
  let b: TestServer;
  let npsso: string;
  let psn: TestClient;
  let rotating: TestClient;

  beforeAll(async () => {
    a = await startTestServer({ backend: 'postgres', secret: SECRET });
    expect(a.database).toMatch(/^postgres(ql)?:\/\//);
    // A second process: its own data folder, the same database and secret.
    b = await startTestServer({ secret: SECRET, config: { database: a.database } });
    psn = await aClient(a, { ...PSN, scope: `${PSN.scope} openid` });
    rotating = await aClient(a, { redirectUri: 'https://rot.example/cb', scope: 'openid offline_access', policy: 'rotate' });
    npsso = await (await aPerson(a)).signIn();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('runs code → tokens → refresh on one PostgreSQL-backed server', async () => {
    expect((await ssoCookie(a, npsso)).body).toEqual({ npsso });
    const { location } = await authorize(a, npsso, { access_type: 'offline', client_id: PSN.id, redirect_uri: PSN.redirectUri, response_type: 'code', scope: PSN.scope });
    const first = await tokenRequest(a, { code: codeFrom(location), redirect_uri: PSN.redirectUri, grant_type: 'authorization_code', token_format: 'jwt' }, psn.auth);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: PSN.scope, refresh_token_expires_in: 60 * 86400 });
    const keys = createLocalJWKSet(await jwks(a));
    await jwtVerify(first.body.access_token as string, keys, { issuer: a.issuer, typ: 'at+jwt' });
    await jwtVerify(first.body.id_token as string, keys, { issuer: a.issuer, audience: PSN.id });

    const again = await refresh(a, psn, first.body.refresh_token as string, { token_format: 'jwt', scope: PSN.scope });
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).toBe(first.body.refresh_token);
    expect(again.body.access_token).not.toBe(first.body.access_token);
    expect(again.body.refresh_token_expires_in as number).toBeLessThanOrEqual(60 * 86400);
    expect(again.body.refresh_token_expires_in as number).toBeGreaterThan(60 * 86400 - 60);
  });

  it('shares one signing key between the processes', async () => {
    const ka = await jwks(a);
    const kb = await jwks(b);
    expect(ka.keys).toHaveLength(1);
    expect(kb.keys).toEqual(ka.keys);
  });

  it('refreshes on the second process a token the first issued, and takes a code the first issued', async () => {
    const { location } = await authorize(a, npsso, { access_type: 'offline', client_id: PSN.id, redirect_uri: PSN.redirectUri, response_type: 'code', scope: PSN.scope });
    // The code from A, exchanged at B.
    const first = await tokenRequest(b, { code: codeFrom(location), redirect_uri: PSN.redirectUri, grant_type: 'authorization_code' }, psn.auth);
    expect(first.status).toBe(200);
    const onB = await refresh(b, psn, first.body.refresh_token as string);
    expect(onB.status).toBe(200);
    expect(onB.body.refresh_token).toBe(first.body.refresh_token);
    const onA = await refresh(a, psn, first.body.refresh_token as string);
    expect(onA.status).toBe(200);
    // A's JWKS verifies what B signed.
    const verified = await jwtVerify(onB.body.access_token as string, createLocalJWKSet(await jwks(a)), { typ: 'at+jwt' });
    expect(verified.payload.client_id).toBe(PSN.id);
    expect(decodeProtectedHeader(onB.body.access_token as string).kid).toBe(decodeProtectedHeader(onA.body.access_token as string).kid);
    // The npsso from A works at B.
    expect((await ssoCookie(b, npsso)).body).toEqual({ npsso });
  });

  it('rotates across processes and revokes the family when a spent token comes back on the other one', async () => {
    const { location } = await authorize(a, npsso, { client_id: rotating.id, redirect_uri: rotating.redirectUri, response_type: 'code', scope: 'openid offline_access' });
    const first = await tokenRequest(a, { grant_type: 'authorization_code', redirect_uri: rotating.redirectUri, code: codeFrom(location) }, rotating.auth);
    const r0 = first.body.refresh_token as string;
    const second = await refresh(b, rotating, r0);
    expect(second.status).toBe(200);
    const r1 = second.body.refresh_token as string;
    expect(r1).not.toBe(r0);
    const third = await refresh(a, rotating, r1);
    expect(third.status).toBe(200);
    const r2 = third.body.refresh_token as string;
    // r0 again, on B, after its successor was used: theft; every token of the family dies.
    const replay = await refresh(b, rotating, r0);
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const latest = await refresh(a, rotating, r2);
    expect(latest).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'the refresh token has been revoked' } });
  });
});
