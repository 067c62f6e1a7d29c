/**
 * One place to configure a server, against the REAL Keyturn server: `keyturnServer(url, { clientId,
 * clientSecret })` alone signs a bot in (no redirect URI, no scope, PKCE made for a public
 * client), discovery finds the same options, and refusals say what the server said.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../server/src/test-support/server.js';
import { decodeJwtPayload } from '../lib/decodeJwtPayload.js';
import { rejection } from '../test-support/rejection.js';
import { AuthSession } from '../session/authSession.js';
import { discoverKeyturnServer } from './discoverKeyturnServer.js';
import { exchangeNpssoForAccessCode } from './exchangeNpssoForAccessCode.js';
import { keyturnServer } from './keyturnServer.js';

const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'com.example.bot://redirect';
let server: TestServer;
let userId: string;

beforeAll(async () => {
  server = await startTestServer();
  userId = (await server.addUser('owner@example.com', PASSWORD)).id;
  await server.addClient({ id: 'bot', secret: 'bot-secret-0123456789', redirectUris: [REDIRECT], scope: 'openid profile' });
  await server.addClient({ id: 'app', public: true, redirectUris: [REDIRECT], scope: 'openid', refreshPolicy: 'rotate' });
});
afterAll(() => server?.close());

const npsso = () => server.signIn('owner@example.com', PASSWORD);

describe('keyturnServer against the real server', () => {
  it('signs a confidential client in with only its id and secret, and refreshes', async () => {
    const session = await AuthSession.fromNpsso(await npsso(), keyturnServer(server.url, { clientId: 'bot', clientSecret: 'bot-secret-0123456789' }));
    expect(session.tokens.scope).toBe('openid profile');
    expect(decodeJwtPayload(await session.getAccessToken())).toMatchObject({ sub: userId, client_id: 'bot' });
    const before = session.tokens.accessToken;
    expect((await session.refresh()).accessToken).not.toBe(before);
  });

  it('signs a public client in with only its id (PKCE made for it), and refreshes', async () => {
    const session = await AuthSession.fromNpsso(await npsso(), keyturnServer(server.url, { clientId: 'app' }));
    expect(decodeJwtPayload(session.tokens.accessToken)).toMatchObject({ sub: userId, client_id: 'app' });
    const before = session.tokens.refreshToken;
    expect((await session.refresh()).refreshToken).not.toBe(before); // rotated
  });

  it('finds the same options through /.well-known/openid-configuration', async () => {
    const client = { clientId: 'bot', clientSecret: 'bot-secret-0123456789' };
    expect(await discoverKeyturnServer(server.issuer, client)).toEqual(keyturnServer(server.issuer, client));
  });
});

describe('refusals of the real authorization endpoint', () => {
  it('says that the client is unknown', async () => {
    const err = await rejection(exchangeNpssoForAccessCode(await npsso(), keyturnServer(server.url, { clientId: 'nobody' })));
    expect(err).toMatchObject({ status: 400 });
    expect(err.message).toMatch(/unknown client|not registered/i);
    expect(err.message).toContain('Is your NPSSO code valid?');
  });

  it('says that the redirect URI is not registered', async () => {
    const options = keyturnServer(server.url, { clientId: 'bot', clientSecret: 'bot-secret-0123456789', redirectUri: 'com.example.other://redirect' });
    const err = await rejection(exchangeNpssoForAccessCode(await npsso(), options));
    expect(err).toMatchObject({ status: 400 });
    expect(err.message).toMatch(/redirect URI/i);
    expect(String((err as { error_description?: string }).error_description)).toMatch(/redirect URI/i);
  });
});
