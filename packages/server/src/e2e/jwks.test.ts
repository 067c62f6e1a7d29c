/**
 * The published signing keys: each algorithm (RS256, ES256, EdDSA) published with its alg at
 * the JWKS and in discovery, the ID and access tokens it signs verifying against it, and no
 * private key material anywhere in what is published.
 */
import { createHash } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import type { SigningAlg } from '../config.js';
import { aClient } from '../test-support/clients.js';
import { jwks } from '../test-support/endpoints.js';
import { authorize, codeFrom, tokenRequest } from '../test-support/oauth.js';
import { METADATA_PATHS } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

for (const alg of ['RS256', 'ES256', 'EdDSA'] as SigningAlg[]) {
  describe(`tokens signed with ${alg}`, () => {
    const f = useServer({ config: { signingAlg: alg } }, async (s) => {
      const ada = await aPerson(s, { name: 'Ada Lovelace' });
      const web = await aClient(s, { scope: 'openid email profile offline_access' });
      const npsso = await ada.signIn();
      return { ada, npsso, web };
    });

    it('publishes the key with its alg and signs ID and access tokens that verify against the JWKS', async () => {
      const { s, ada, npsso, web } = f;
      const jwksBody = await jwks(s);
      expect(jwksBody.keys).toHaveLength(1);
      const [key] = jwksBody.keys;
      expect(key).toMatchObject({ alg, use: 'sig', kty: alg === 'RS256' ? 'RSA' : alg === 'ES256' ? 'EC' : 'OKP' });
      expect(key).not.toHaveProperty('d');
      const discovery = (await (await fetch(`${s.url}${METADATA_PATHS[0]}`)).json()) as Record<string, unknown>;
      expect(discovery.id_token_signing_alg_values_supported).toEqual([alg]);

      const before = Math.floor(Date.now() / 1000);
      const { location } = await authorize(s, npsso, { client_id: web.id, redirect_uri: web.redirectUri, response_type: 'code', scope: 'openid email offline_access', nonce: 'nonce-123' });
      const res = await tokenRequest(s, { grant_type: 'authorization_code', redirect_uri: web.redirectUri, code: codeFrom(location) }, web.auth);
      expect(res.status).toBe(200);
      const keys = createLocalJWKSet(jwksBody);
      const accessToken = res.body.access_token as string;
      const idToken = res.body.id_token as string;

      expect(decodeProtectedHeader(accessToken)).toEqual({ alg, kid: key!.kid, typ: 'at+jwt' });
      const at = await jwtVerify(accessToken, keys, { algorithms: [alg], issuer: s.issuer, audience: web.id, typ: 'at+jwt' });
      expect(Object.keys(at.payload).sort()).toEqual(['aud', 'auth_time', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sid', 'sub']);
      expect(at.payload).toMatchObject({ iss: s.issuer, sub: ada.id, aud: web.id, client_id: web.id, scope: 'openid email offline_access' });
      expect(at.payload.iat!).toBeGreaterThanOrEqual(before);
      expect(at.payload.exp).toBe(at.payload.iat! + 3600);
      expect(at.payload.jti).toMatch(/^[0-9a-f-]{36}$/);

      expect(decodeProtectedHeader(idToken)).toMatchObject({ alg, kid: key!.kid });
      const id = await jwtVerify(idToken, keys, { algorithms: [alg], issuer: s.issuer, audience: web.id });
      const hash = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256').update(accessToken).digest();
      expect(id.payload).toMatchObject({
        iss: s.issuer,
        sub: ada.id,
        aud: web.id,
        azp: web.id,
        nonce: 'nonce-123',
        email: ada.email,
        email_verified: false,
        at_hash: hash.subarray(0, hash.length / 2).toString('base64url'),
      });
      expect(id.payload.exp).toBe(id.payload.iat! + 3600);
      expect(id.payload.auth_time!).toBeLessThanOrEqual(id.payload.iat!);
      expect(id.payload.auth_time!).toBeGreaterThanOrEqual(before - 5);
      // Scope profile was not asked for: no name.
      expect(id.payload).not.toHaveProperty('name');

      // Verifying with another algorithm must fail: the alg is pinned.
      const wrongAlg = alg === 'RS256' ? 'ES256' : 'RS256';
      await expect(jwtVerify(accessToken, keys, { algorithms: [wrongAlg] })).rejects.toThrow();
    });
  });
}

describe('the published keys', () => {
  const f = useServer({});

  it('publishes no private key material in the JWKS or the discovery documents', async () => {
    const { s } = f;
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) await s.kt.keys.rotate(alg);
    const published = (await jwks(s)) as { keys: JWK[] };
    expect(published.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'EdDSA', 'RS256', 'RS256']);
    for (const key of published.keys) {
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']) expect({ kid: key.kid, [secret]: key[secret as keyof JWK] }).toEqual({ kid: key.kid, [secret]: undefined });
    }
    for (const path of METADATA_PATHS) {
      expect(await (await fetch(s.url + path)).text()).not.toMatch(/"(d|p|q|dp|dq|qi|k)"\s*:/);
    }
  });
});
