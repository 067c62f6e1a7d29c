/**
 * Keys at rest: the generated server secret file (mode 0600), signing keys stored only
 * encrypted, and a restart on the same data folder keeping the key so old tokens verify.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open } from '../domain/secrets.js';
import { verifyAccessToken } from '../domain/tokens/verifyAccessToken.js';
import { aClient, type TestClient } from '../test-support/clients.js';
import { jwks as publishedKeys } from '../test-support/endpoints.js';
import { refresh, signInTokens, type TokenBody } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../test-support/server.js';

const ISSUER = 'http://keyturn.test';

describe('keys at rest', () => {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'keyturn-keys-')), 'data');
  /** A server on `dataDir` with no KEYTURN_SECRET: the secret comes from the data folder. */
  const start = (options: TestServerOptions = {}) => startTestServer({ dataDir, secret: null, config: { issuer: ISSUER, issuerFromAddress: false, gcIntervalSec: 0 }, ...options });
  let first: TestServer;
  let client: TestClient;
  let tokens: TokenBody;

  beforeAll(async () => {
    first = await start();
    client = await aClient(first, { redirectUri: 'https://app.example/cb', scope: 'openid offline_access' });
    tokens = await signInTokens(first, await (await aPerson(first)).signIn(), client, { scope: 'openid offline_access' });
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
    const second = await start();
    try {
      const keys = await second.kt.repo.listSigningKeys();
      expect(keys.map((k) => k.kid)).toEqual([kid]);
      const jwks = await publishedKeys(second);
      expect(jwks.keys.map((k) => k.kid)).toEqual([kid]);
      const verified = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), { issuer: ISSUER, typ: 'at+jwt' });
      expect(verified.payload.client_id).toBe(client.id);
      await jwtVerify(tokens.id_token!, createLocalJWKSet(jwks), { issuer: ISSUER, audience: client.id });
      expect((await verifyAccessToken(second.kt, tokens.access_token))?.claims.client_id).toBe(client.id);

      const refreshed = await refresh(second, client, tokens.refresh_token);
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refresh_token).toBe(tokens.refresh_token);
      expect(decodeProtectedHeader(refreshed.body.access_token as string).kid).toBe(kid);
    } finally {
      await second.close();
    }
  });

  it('refuses to start with another secret rather than silently making a new key', async () => {
    await expect(start({ secret: 'another-secret-another-secret-another' })).rejects.toThrow(/could not be decrypted: was KEYTURN_SECRET changed\?/);
  });
});
