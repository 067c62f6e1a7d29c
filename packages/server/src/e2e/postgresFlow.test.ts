/**
 * The seed flow on PostgreSQL, and two server processes on one database: a code, a token or
 * a refresh token issued by one is honoured by the other, with the same signing key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../app.js';
import { loadConfig } from '../config.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { PSN, authorize, basic, codeFrom, tokenRequest } from './lib.js';

const SECRET = 'postgres-flow-secret-postgres-flow-secret';
const ROTATING = { id: 'rotating-app', secret: 'rotating-secret-0123456789', redirect: 'https://rot.example/cb' };

describe('the seed flow on PostgreSQL, across two server processes', () => {
  let a: TestServer;
  let b: RunningServer;
  let bDir: string;
  let npsso: string;
  const psn = basic(PSN.clientId, PSN.clientSecret);

  beforeAll(async () => {
    a = await startTestServer({ backend: 'postgres', env: { KEYTURN_SECRET: SECRET } });
    expect(a.database).toMatch(/^postgres(ql)?:\/\//);
    // A second process: its own data folder, the same database and secret.
    bDir = mkdtempSync(path.join(tmpdir(), 'keyturn-second-'));
    const config = loadConfig({ port: 0, host: '127.0.0.1', dataDir: bDir, database: a.database }, { KEYTURN_SECRET: SECRET });
    config.logLevel = 'silent';
    b = await startServer(config);
    await a.addUser('ada@example.com', 'correct horse battery');
    await a.addClient({ id: PSN.clientId, secret: PSN.clientSecret, redirectUris: [PSN.redirectUri], scope: `${PSN.scope} openid` });
    await a.addClient({ id: ROTATING.id, secret: ROTATING.secret, redirectUris: [ROTATING.redirect], scope: 'openid offline_access', refreshPolicy: 'rotate' });
    npsso = await a.signIn('ada@example.com', 'correct horse battery');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    rmSync(bDir, { recursive: true, force: true });
  });

  it('runs code → tokens → refresh on one PostgreSQL-backed server', async () => {
    const sso = await fetch(`${a.url}/api/v1/ssocookie`, { headers: { cookie: `npsso=${npsso}` } });
    expect(await sso.json()).toEqual({ npsso });
    const { location } = await authorize(a.url, npsso, { access_type: 'offline', client_id: PSN.clientId, redirect_uri: PSN.redirectUri, response_type: 'code', scope: PSN.scope });
    const first = await tokenRequest(a.url, { code: codeFrom(location), redirect_uri: PSN.redirectUri, grant_type: 'authorization_code', token_format: 'jwt' }, psn);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: PSN.scope, refresh_token_expires_in: 60 * 86400 });
    const jwks = createLocalJWKSet((await (await fetch(`${a.url}/api/authz/v3/oauth/jwks`)).json()) as JSONWebKeySet);
    await jwtVerify(first.body.access_token as string, jwks, { issuer: a.issuer, typ: 'at+jwt' });
    await jwtVerify(first.body.id_token as string, jwks, { issuer: a.issuer, audience: PSN.clientId });

    const again = await tokenRequest(a.url, { refresh_token: first.body.refresh_token as string, grant_type: 'refresh_token', token_format: 'jwt', scope: PSN.scope }, psn);
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).toBe(first.body.refresh_token);
    expect(again.body.access_token).not.toBe(first.body.access_token);
    expect(again.body.refresh_token_expires_in as number).toBeLessThanOrEqual(60 * 86400);
    expect(again.body.refresh_token_expires_in as number).toBeGreaterThan(60 * 86400 - 60);
  });

  it('shares one signing key between the processes', async () => {
    const ka = (await (await fetch(`${a.url}/api/authz/v3/oauth/jwks`)).json()) as { keys: Array<{ kid: string }> };
    const kb = (await (await fetch(`${b.url}/api/authz/v3/oauth/jwks`)).json()) as { keys: Array<{ kid: string }> };
    expect(ka.keys).toHaveLength(1);
    expect(kb.keys).toEqual(ka.keys);
  });

  it('refreshes on the second process a token the first issued, and takes a code the first issued', async () => {
    const { location } = await authorize(a.url, npsso, { access_type: 'offline', client_id: PSN.clientId, redirect_uri: PSN.redirectUri, response_type: 'code', scope: PSN.scope });
    // The code from A, exchanged at B.
    const first = await tokenRequest(b.url, { code: codeFrom(location), redirect_uri: PSN.redirectUri, grant_type: 'authorization_code' }, psn);
    expect(first.status).toBe(200);
    const onB = await tokenRequest(b.url, { refresh_token: first.body.refresh_token as string, grant_type: 'refresh_token' }, psn);
    expect(onB.status).toBe(200);
    expect(onB.body.refresh_token).toBe(first.body.refresh_token);
    const onA = await tokenRequest(a.url, { refresh_token: first.body.refresh_token as string, grant_type: 'refresh_token' }, psn);
    expect(onA.status).toBe(200);
    // A's JWKS verifies what B signed.
    const jwks = createLocalJWKSet((await (await fetch(`${a.url}/api/authz/v3/oauth/jwks`)).json()) as JSONWebKeySet);
    const verified = await jwtVerify(onB.body.access_token as string, jwks, { typ: 'at+jwt' });
    expect(verified.payload.client_id).toBe(PSN.clientId);
    expect(decodeProtectedHeader(onB.body.access_token as string).kid).toBe(decodeProtectedHeader(onA.body.access_token as string).kid);
    // The npsso from A works at B.
    const sso = await fetch(`${b.url}/api/v1/ssocookie`, { headers: { cookie: `npsso=${npsso}` } });
    expect(await sso.json()).toEqual({ npsso });
  });

  it('rotates across processes and revokes the family when a spent token comes back on the other one', async () => {
    const auth = basic(ROTATING.id, ROTATING.secret);
    const { location } = await authorize(a.url, npsso, { client_id: ROTATING.id, redirect_uri: ROTATING.redirect, response_type: 'code', scope: 'openid offline_access' });
    const first = await tokenRequest(a.url, { grant_type: 'authorization_code', redirect_uri: ROTATING.redirect, code: codeFrom(location) }, auth);
    const r0 = first.body.refresh_token as string;
    const second = await tokenRequest(b.url, { grant_type: 'refresh_token', refresh_token: r0 }, auth);
    expect(second.status).toBe(200);
    const r1 = second.body.refresh_token as string;
    expect(r1).not.toBe(r0);
    const third = await tokenRequest(a.url, { grant_type: 'refresh_token', refresh_token: r1 }, auth);
    expect(third.status).toBe(200);
    const r2 = third.body.refresh_token as string;
    // r0 again, on B, after its successor was used: theft; every token of the family dies.
    const replay = await tokenRequest(b.url, { grant_type: 'refresh_token', refresh_token: r0 }, auth);
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const latest = await tokenRequest(a.url, { grant_type: 'refresh_token', refresh_token: r2 }, auth);
    expect(latest).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'the refresh token has been revoked' } });
  });
});
