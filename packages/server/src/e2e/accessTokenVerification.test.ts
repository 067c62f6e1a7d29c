/**
 * Access-token verification under attack, from the outside: forged, confused, tampered and
 * out-of-date JWTs presented at userinfo (must be 401 invalid_token) and introspection (must
 * be active:false), and at revocation (must revoke nothing). (The published keys: jwks.)
 */
import { createHmac, createPublicKey, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aClient, type TestClient } from '../test-support/clients.js';
import { introspect, jwks, revoke, userinfo } from '../test-support/endpoints.js';
import { raw } from '../test-support/http.js';
import { refresh, signInTokens, type TokenBody } from '../test-support/oauth.js';
import { endpoint } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('attacks on access tokens', () => {
  let s: TestServer;
  let app: TestClient;
  let tokens: TokenBody;
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  let ourJwk: JWK;
  /** Requests the attacker's JWKS server got (the server must never fetch keys named by a token). */
  let attackerHits = 0;
  let attackerServer: http.Server;
  let attackerUrl: string;
  let attacker: Awaited<ReturnType<typeof generateKeyPair>>;
  let attackerJwk: JWK;

  beforeAll(async () => {
    s = await startTestServer();
    app = await aClient(s);
    tokens = await signInTokens(s, await (await aPerson(s, { name: 'Ada' })).signIn(), app);
    const [h, p] = tokens.access_token.split('.');
    header = decode(h!);
    claims = decode(p!);
    ourJwk = (await jwks(s)).keys[0]! as JWK;
    attacker = await generateKeyPair('RS256', { extractable: true });
    attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: String(header.kid), alg: 'RS256', use: 'sig' };
    attackerServer = http.createServer((_req, res) => {
      attackerHits++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [attackerJwk] }));
    });
    await new Promise<void>((resolve) => attackerServer.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attackerServer.address() as AddressInfo).port}/jwks`;
  });
  afterAll(async () => {
    await new Promise((resolve) => attackerServer.close(resolve));
    await s.close();
  });

  /** Each forged token must be refused at userinfo and inactive at introspection. */
  async function expectRefused(token: string) {
    const info = await userinfo(s, token);
    expect(info.status).toBe(401);
    expect(info.challenge).toMatch(/^Bearer realm="keyturn", error="invalid_token"/);
    expect(info.body).toEqual({ error: 'invalid_token', error_description: 'the access token is invalid, expired or revoked' });
    expect(await introspect(s, app, token)).toEqual({ active: false });
  }

  /**
   * Signs `payload` under `protectedHeader` with the server's own active key (RS256), by hand
   * so that any header goes: only the claim or header checks can refuse such a token.
   */
  async function signWithOurKey(payload: Record<string, unknown>, protectedHeader: Record<string, unknown> = header) {
    const key = await s.kt.keys.activeKey();
    const input = `${b64(protectedHeader)}.${b64(payload)}`;
    return `${input}.${sign('sha256', Buffer.from(input), key.privateKey as KeyObject).toString('base64url')}`;
  }

  it('accepts the genuine token (baseline for every attack below)', async () => {
    expect((await userinfo(s, tokens.access_token)).status).toBe(200);
    expect(await introspect(s, app, tokens.access_token)).toMatchObject({ active: true, sub: claims.sub, client_id: app.id });
    expect((await userinfo(s, await signWithOurKey(claims))).status).toBe(200);
  });

  it('refuses an alg:none token (unsigned), with or without a signature part', async () => {
    const none = b64({ ...header, alg: 'none' });
    await expectRefused(`${none}.${b64(claims)}.`);
    await expectRefused(`${none}.${b64(claims)}.${tokens.access_token.split('.')[2]}`);
    await expectRefused(`${b64({ alg: 'NONE', typ: 'at+jwt' })}.${b64(claims)}.`);
  });

  it('refuses HS256 tokens keyed with the public key bytes (algorithm confusion)', async () => {
    const pub = createPublicKey({ key: ourJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    const keys = [pub.export({ type: 'spki', format: 'pem' }) as string, pub.export({ type: 'spki', format: 'der' }), JSON.stringify(ourJwk), String(ourJwk.n)];
    for (const secret of keys) {
      for (const alg of ['HS256', 'HS512']) {
        const input = `${b64({ ...header, alg })}.${b64(claims)}`;
        const mac = createHmac(alg === 'HS256' ? 'sha256' : 'sha512', secret).update(input).digest('base64url');
        await expectRefused(`${input}.${mac}`);
      }
    }
  });

  it('refuses a token signed by a foreign RSA key that names our kid', async () => {
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: String(header.kid), typ: 'at+jwt' }).sign(attacker.privateKey);
    await expectRefused(forged);
  });

  it('never trusts a key the token brings along (embedded jwk, jku, x5u) and never fetches one', async () => {
    const sign = (extra: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', ...extra } as { alg: string }).sign(attacker.privateKey);
    await expectRefused(await sign({ jwk: attackerJwk }));
    await expectRefused(await sign({ jwk: attackerJwk, kid: String(header.kid) }));
    await expectRefused(await sign({ jku: attackerUrl, kid: String(header.kid) }));
    await expectRefused(await sign({ x5u: attackerUrl, kid: String(header.kid) }));
    expect(attackerHits).toBe(0);
  });

  it('refuses a valid ID token presented as an access token (typ check)', async () => {
    expect(tokens.id_token).toMatch(/^ey/);
    expect(decode(tokens.id_token!.split('.')[0]!).typ).toBe('JWT');
    await expectRefused(tokens.id_token!);
    // And an access-token shaped payload signed with our key but without typ at+jwt.
    await expectRefused(await signWithOurKey(claims, { alg: header.alg, kid: header.kid, typ: 'JWT' }));
    await expectRefused(await signWithOurKey(claims, { alg: header.alg, kid: header.kid }));
  });

  it('refuses a token with our kid and signature but a tampered payload', async () => {
    const [h, , sig] = tokens.access_token.split('.');
    for (const change of [{ sub: 'someone-else' }, { scope: 'openid profile email admin' }, { exp: Number(claims.exp) + 86_400 }, { client_id: 'other' }]) {
      await expectRefused(`${h}.${b64({ ...claims, ...change })}.${sig}`);
    }
    // Same claims re-encoded with other whitespace: the signature covers the bytes, not the meaning.
    await expectRefused(`${h}.${b64(JSON.stringify(claims, null, 1))}.${sig}`);
    // Flipped bit in the signature.
    const bytes = Buffer.from(sig!, 'base64url');
    bytes[0] = bytes[0]! ^ 1;
    await expectRefused(`${h}.${tokens.access_token.split('.')[1]}.${bytes.toString('base64url')}`);
  });

  it('refuses an expired token, even one signed with our key', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await signWithOurKey({ ...claims, iat: now - 7200, exp: now - 3600 }));
    await expectRefused(await signWithOurKey({ ...claims, nbf: now + 3600 }));
    const { exp: _exp, ...noExp } = claims;
    await expectRefused(await signWithOurKey(noExp));
  });

  it('refuses a token from another issuer, even one signed with our key', async () => {
    await expectRefused(await signWithOurKey({ ...claims, iss: 'https://evil.example' }));
    await expectRefused(await signWithOurKey({ ...claims, iss: `${s.issuer}/` }));
    const { iss: _iss, ...noIss } = claims;
    await expectRefused(await signWithOurKey(noIss));
  });

  it('refuses a token whose header has a crit extension it does not understand', async () => {
    await expectRefused(await signWithOurKey(claims, { ...header, crit: ['x-evil'], 'x-evil': true }));
    await expectRefused(await signWithOurKey(claims, { ...header, crit: ['exp'] }));
    await expectRefused(await signWithOurKey(claims, { ...header, crit: [] }));
  });

  it('refuses a huge token without a 5xx, in the header and in the body', async () => {
    const huge = `${b64(header)}.${b64({ ...claims, pad: 'x'.repeat(7_000) })}.${tokens.access_token.split('.')[2]}`;
    await expectRefused(huge);
    // Larger than the HTTP header limit: refused before any verification, still not a 5xx.
    const giant = `${'A'.repeat(40_000)}.${'B'.repeat(40_000)}.C`;
    // Node answers 431 and closes; the client may see the close first. Either way: no 5xx.
    const tooLarge = await raw(endpoint(s, 'userinfo'), { headers: { authorization: `Bearer ${giant.slice(0, 20_000)}` } }).then(
      (a) => a.status,
      (err: NodeJS.ErrnoException) => err.code,
    );
    expect([431, 'ECONNRESET', 'EPIPE']).toContain(tooLarge);
    const body = await raw(endpoint(s, 'userinfo'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `access_token=${'A'.repeat(30_000)}.${'B'.repeat(30_000)}.C`,
    });
    expect(body.status).toBe(401);
    expect(await introspect(s, app, giant.slice(0, 60_000))).toEqual({ active: false });
  });

  it('revokes nothing when a forged token is presented for revocation', async () => {
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: String(header.kid), typ: 'at+jwt' }).sign(attacker.privateKey);
    const none = `${b64({ ...header, alg: 'none' })}.${b64(claims)}.`;
    for (const token of [forged, none, tokens.id_token!]) expect((await revoke(s, app, token)).status).toBe(200);
    expect((await userinfo(s, tokens.access_token)).status).toBe(200);
    expect((await refresh(s, app, tokens.refresh_token)).status).toBe(200);
  });
});
