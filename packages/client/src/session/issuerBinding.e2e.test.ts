/**
 * Tokens never leave their server, against two REAL Keyturn servers: tokens obtained from A
 * and saved to a vault refresh at A when the session is opened with no options; options naming
 * B (or another client) are refused before anything is sent, and B receives nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../server/src/test-support/server.js';
import { IssuerMismatchError } from '../errors.js';
import { keyturnServer } from '../exchange/keyturnServer.js';
import { decodeJwtPayload } from '../lib/decodeJwtPayload.js';
import { createMemoryStore } from '../stores/memory.js';
import { startCountingProxy, type CountingProxy } from '../test-support/countingProxy.js';
import { createVault } from '../vault/createVault.js';
import { AuthSession } from './authSession.js';

const PASSWORD = 'correct horse battery staple';
const CLIENT = { id: 'bot', public: true, redirectUris: ['com.example.bot://redirect'], scope: 'openid', refreshPolicy: 'rotate' as const };

let serverA: TestServer;
let serverB: TestServer;
/** Every request the client sends to A or B goes through these, so each server's share is counted. */
let a: CountingProxy;
let b: CountingProxy;

beforeAll(async () => {
  [serverA, serverB] = await Promise.all([startTestServer(), startTestServer()]);
  for (const server of [serverA, serverB]) {
    await server.addUser('owner@example.com', PASSWORD);
    await server.addClient(CLIENT); // the same public client id on both: only the URL tells them apart
  }
  [a, b] = await Promise.all([startCountingProxy(serverA.url), startCountingProxy(serverB.url)]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await Promise.all([serverA?.close(), serverB?.close()]);
});

/**
 * Signs in at A and saves the tokens to a fresh vault under "bot", with the access token's
 * expiry moved to the past (as an hour later), so the next use must refresh.
 */
async function vaultWithTokensFromA() {
  const vault = createVault({ store: createMemoryStore(), keys: [{ id: 'k1', secret: 'ef'.repeat(32) }] });
  const npsso = await serverA.signIn('owner@example.com', PASSWORD);
  const { tokens } = await AuthSession.fromNpsso(npsso, { ...keyturnServer(a.url, { clientId: 'bot' }), vault, name: 'bot' });
  await vault.save('bot', { ...tokens, accessTokenExpiresAt: new Date(Date.now() - 1000).toISOString() });
  return vault;
}

describe('tokens bound to the server that issued them (two real servers)', () => {
  it('refreshes at A, as the stored client, when the session is opened from the vault with no options', async () => {
    const vault = await vaultWithTokensFromA();
    const before = (await vault.load('bot'))!;
    expect(before).toMatchObject({ tokenEndpoint: `${a.url}/api/authz/v3/oauth/token`, clientId: 'bot' });
    const [tokensAtA, tokensAtB] = [a.count('/token'), b.count('/token')];

    const session = await AuthSession.fromVault(vault, 'bot');
    await session.getAccessToken();
    const refreshed = session.tokens;

    expect(a.count('/token')).toBe(tokensAtA + 1);
    expect(b.count('/token')).toBe(tokensAtB);
    expect(refreshed.accessToken).not.toBe(before.accessToken);
    expect(refreshed.refreshToken).not.toBe(before.refreshToken); // rotated by A
    expect(decodeJwtPayload(refreshed.accessToken)).toMatchObject({ iss: serverA.issuer, client_id: 'bot' });
    expect(await vault.load('bot')).toMatchObject({ refreshToken: refreshed.refreshToken, tokenEndpoint: before.tokenEndpoint, clientId: 'bot' });
  });

  it('refuses options naming server B with ERR_ISSUER_MISMATCH, and B receives nothing', async () => {
    const vault = await vaultWithTokensFromA();
    const stored = (await vault.load('bot'))!;
    const [seenByA, seenByB] = [a.count('/token'), b.counts.size];

    const err = await AuthSession.fromVault(vault, 'bot', keyturnServer(b.url, { clientId: 'bot' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IssuerMismatchError);
    expect(err).toMatchObject({
      code: 'ERR_ISSUER_MISMATCH',
      issuedBy: { tokenEndpoint: `${a.url}/api/authz/v3/oauth/token`, clientId: 'bot' },
      requested: { tokenEndpoint: `${b.url}/api/authz/v3/oauth/token`, clientId: 'bot' },
    });
    expect((err as Error).message).not.toContain(stored.refreshToken);
    expect(() => new AuthSession(stored, keyturnServer(b.url, { clientId: 'bot' }))).toThrow(IssuerMismatchError);

    expect(b.counts.size).toBe(seenByB);
    expect(b.count('/token')).toBe(0);
    expect(a.count('/token')).toBe(seenByA);
    // The refresh token is still good at A: nothing was spent or revoked.
    const resumed = await AuthSession.fromVault(vault, 'bot');
    expect(decodeJwtPayload(await resumed.getAccessToken())).toMatchObject({ iss: serverA.issuer, client_id: 'bot' });
    expect(a.count('/token')).toBe(seenByA + 1);
  });

  it('refuses options naming another client on the same server, before sending anything', async () => {
    const vault = await vaultWithTokensFromA();
    const seenByA = a.count('/token');
    await expect(AuthSession.fromVault(vault, 'bot', keyturnServer(a.url, { clientId: 'someone-else' }))).rejects.toMatchObject({
      code: 'ERR_ISSUER_MISMATCH',
      requested: { clientId: 'someone-else' },
    });
    expect(a.count('/token')).toBe(seenByA);
  });
});
