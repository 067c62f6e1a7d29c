/**
 * The published psn-api package, unchanged, against Keyturn: its fetch calls to
 * https://ca.account.sony.com are sent to the local server instead, and the PSN client is
 * registered with the real `keyturn client add` command.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  exchangeAccessCodeForAuthTokens,
  exchangeCodeForAccessToken,
  exchangeNpssoForAccessCode,
  exchangeRefreshTokenForAuthTokens,
} from 'psn-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PSN } from '../test-support/clients.js';
import { DAY, frozenClock } from '../test-support/clock.js';
import { jwks } from '../test-support/endpoints.js';
import { keyturnProcess } from '../test-support/keyturnOnServer.js';
import { aPerson } from '../test-support/people.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

const SONY = 'https://ca.account.sony.com';
const DAY_SEC = 86_400;

describe('psn-api against Keyturn', () => {
  let s: TestServer;
  let npsso: string;
  const clock = frozenClock(Date.UTC(2030, 0, 1));
  const realFetch = globalThis.fetch;
  const seen: string[] = [];

  beforeAll(async () => {
    s = await startTestServer({ now: clock.now });
    const added = await keyturnProcess(s, 'client', 'add', '--id', PSN.id, '--secret', PSN.secret, '--redirect-uri', PSN.redirectUri, '--scope', PSN.scope);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`added confidential client ${PSN.id}`);
    npsso = await (await aPerson(s, { name: 'Kratos' })).signIn();
    globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      seen.push(url);
      return realFetch(url.startsWith(SONY) ? s.url + url.slice(SONY.length) : input, init);
    };
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await s?.close();
  });

  it('turns an npsso into a v3 access code, and the code and refresh token into tokens', async () => {
    const code = await exchangeNpssoForAccessCode(npsso);
    expect(code).toMatch(/^v3\.[A-Za-z0-9_-]{43}$/);
    expect(seen.at(-1)).toMatch(/^https:\/\/ca\.account\.sony\.com\/api\/authz\/v3\/oauth\/authorize\?/);

    const tokens = await exchangeAccessCodeForAuthTokens(code);
    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.expiresIn).toBe(3600);
    expect(tokens.scope).toBe(PSN.scope);
    expect(tokens.refreshTokenExpiresIn).toBe(60 * DAY_SEC);
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const keys = createLocalJWKSet(await jwks(s));
    const at = await jwtVerify(tokens.accessToken, keys, { issuer: s.issuer, typ: 'at+jwt', currentDate: clock.date() });
    expect(at.payload).toMatchObject({ client_id: PSN.id, aud: PSN.id, scope: PSN.scope, iat: clock.now() / 1000 });
    // token_format=jwt: PlayStation sends an ID token even without scope openid.
    const id = await jwtVerify(tokens.idToken, keys, { issuer: s.issuer, audience: PSN.id, currentDate: clock.date() });
    expect(id.payload.sub).toBe(at.payload.sub);

    clock.advance(100_000);
    const refreshed = await exchangeRefreshTokenForAuthTokens(tokens.refreshToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.accessToken.split('.')).toHaveLength(3);
    expect(refreshed.expiresIn).toBe(3600);
    expect(refreshed.refreshTokenExpiresIn).toBe(60 * DAY_SEC - 100);
    const again = await jwtVerify(refreshed.accessToken, keys, { issuer: s.issuer, currentDate: clock.date() });
    expect(again.payload.iat).toBe(clock.now() / 1000);
    expect(again.payload.sub).toBe(at.payload.sub);

    clock.advance(900_000);
    const later = await exchangeRefreshTokenForAuthTokens(tokens.refreshToken);
    expect(later.refreshToken).toBe(tokens.refreshToken);
    expect(later.refreshTokenExpiresIn).toBe(60 * DAY_SEC - 1000);
  });

  it('accepts a code through the exchangeCodeForAccessToken alias, once', async () => {
    const code = await exchangeNpssoForAccessCode(npsso);
    const tokens = await exchangeCodeForAccessToken(code);
    expect(tokens.scope).toBe(PSN.scope);
    expect(tokens.refreshTokenExpiresIn).toBe(60 * DAY_SEC);
    expect(tokens.accessToken.split('.')).toHaveLength(3);
    const replay = await exchangeCodeForAccessToken(code);
    expect(replay.accessToken).toBeUndefined();
  });

  it('stops refreshing once the 60 days run out, and the npsso expires with them', async () => {
    const tokens = await exchangeAccessCodeForAuthTokens(await exchangeNpssoForAccessCode(npsso));
    clock.advance(60 * DAY - 1000);
    const last = await exchangeRefreshTokenForAuthTokens(tokens.refreshToken);
    expect(last.refreshToken).toBe(tokens.refreshToken);
    expect(last.refreshTokenExpiresIn).toBe(1);
    clock.advance(1000);
    const expired = await exchangeRefreshTokenForAuthTokens(tokens.refreshToken);
    expect(expired.accessToken).toBeUndefined();
    expect(expired.refreshToken).toBeUndefined();
    await expect(exchangeNpssoForAccessCode(npsso)).rejects.toThrow(/Is your NPSSO code valid/);
  });

  it('makes psn-api throw its own "is your NPSSO valid" error for an unknown npsso', async () => {
    await expect(exchangeNpssoForAccessCode('x'.repeat(64))).rejects.toThrow(/Is your NPSSO code valid/);
  });
});
