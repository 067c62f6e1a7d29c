/**
 * Keys at rest: the generated server secret file (mode 0600), signing keys stored only
 * encrypted, and a restart on the same data folder keeping the key so old tokens verify.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../app.js';
import { loadConfig } from '../config.js';
import { addClient } from '../domain/clients.js';
import { open } from '../domain/secrets.js';
import { verifyAccessToken } from '../domain/tokens/verifyAccessToken.js';
import { createUser } from '../domain/users.js';
import { signInThroughForm } from '../test-support/server.js';
import { authorize, basic, codeFrom, tokenRequest } from './lib.js';

const ISSUER = 'http://keyturn.test';
const CLIENT = { id: 'web-app', secret: 'web-app-secret-0123456789', redirect: 'https://app.example/cb' };

/** A server on `dataDir` with no KEYTURN_SECRET: the secret comes from the data folder. */
function start(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({ port: 0, host: '127.0.0.1', dataDir, issuer: ISSUER }, env);
  config.logLevel = 'silent';
  config.gcIntervalSec = 0;
  return startServer(config);
}

describe('keys at rest', () => {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'keyturn-keys-')), 'data');
  let first: RunningServer;
  let tokens: { access_token: string; id_token: string; refresh_token: string };

  beforeAll(async () => {
    first = await start(dataDir);
    await createUser(first.kt, { email: 'ada@example.com', password: 'correct horse battery' });
    await addClient(first.kt, { id: CLIENT.id, secret: CLIENT.secret, redirectUris: [CLIENT.redirect], scope: 'openid offline_access' });
    const npsso = await signInThroughForm(first.url, 'ada@example.com', 'correct horse battery');
    const { location } = await authorize(first.url, npsso, { client_id: CLIENT.id, redirect_uri: CLIENT.redirect, response_type: 'code', scope: 'openid offline_access' });
    const res = await tokenRequest(first.url, { grant_type: 'authorization_code', redirect_uri: CLIENT.redirect, code: codeFrom(location) }, basic(CLIENT.id, CLIENT.secret));
    expect(res.status).toBe(200);
    tokens = res.body as typeof tokens;
  });
  afterAll(async () => {
    await first?.close().catch(() => undefined);
    rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('creates the server secret file with mode 0600 when KEYTURN_SECRET is absent', () => {
    const file = path.join(dataDir, 'secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(dataDir).mode & 0o077).toBe(0);
  });

  it('stores the signing key encrypted: neither the row nor the database file holds the private "d"', async () => {
    const [record] = await first.kt.repo.listSigningKeys();
    expect(record).toBeDefined();
    expect(record!.privateKeyEnc).toMatch(/^ktk1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const secret = readFileSync(path.join(dataDir, 'secret'), 'utf8').trim();
    const { deriveServerKeys } = await import('../domain/secrets.js');
    const privateJwk = JSON.parse(open(deriveServerKeys(secret).keyEncryption, record!.privateKeyEnc, record!.kid)) as JWK;
    expect(privateJwk.d).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(record!.privateKeyEnc).not.toContain(privateJwk.d);
    expect(record!.publicJwk).not.toContain(privateJwk.d);
    expect(JSON.parse(record!.publicJwk)).not.toHaveProperty('d');
    // Nothing on disk in the data folder (SQLite file, WAL) holds it either.
    for (const name of readdirSync(dataDir)) {
      const bytes = readFileSync(path.join(dataDir, name)).toString('latin1');
      expect({ name, hasD: bytes.includes(privateJwk.d!) }).toEqual({ name, hasD: false });
    }
    // The envelope is bound to its kid: it does not open under another.
    expect(() => open(deriveServerKeys(secret).keyEncryption, record!.privateKeyEnc, 'another-kid')).toThrow(/could not be decrypted/);
  });

  it('keeps the same kid after a restart on the same data folder, and still verifies and refreshes old tokens', async () => {
    const kid = decodeProtectedHeader(tokens.access_token).kid;
    await first.close();
    const second = await start(dataDir);
    try {
      const keys = await second.kt.repo.listSigningKeys();
      expect(keys.map((k) => k.kid)).toEqual([kid]);
      const jwks = (await (await fetch(`${second.url}/api/authz/v3/oauth/jwks`)).json()) as { keys: Array<{ kid: string }> };
      expect(jwks.keys.map((k) => k.kid)).toEqual([kid]);
      const verified = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks as never), { issuer: ISSUER, typ: 'at+jwt' });
      expect(verified.payload.client_id).toBe(CLIENT.id);
      await jwtVerify(tokens.id_token, createLocalJWKSet(jwks as never), { issuer: ISSUER, audience: CLIENT.id });
      expect((await verifyAccessToken(second.kt, tokens.access_token))?.claims.client_id).toBe(CLIENT.id);

      const refreshed = await tokenRequest(second.url, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, basic(CLIENT.id, CLIENT.secret));
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refresh_token).toBe(tokens.refresh_token);
      expect(decodeProtectedHeader(refreshed.body.access_token as string).kid).toBe(kid);
    } finally {
      await second.close();
    }
  });

  it('refuses to start with another secret rather than silently making a new key', async () => {
    await expect(start(dataDir, { KEYTURN_SECRET: 'another-secret-another-secret-another' })).rejects.toThrow(/could not be decrypted: was KEYTURN_SECRET changed\?/);
  });
});
