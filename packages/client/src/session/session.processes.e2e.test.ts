/**
 * Two real OS processes, each with its own AuthSession and its own connection to one shared
 * store, asked for an access token at the same moment after it expired, against the REAL
 * Keyturn server: exactly one refresh request between them, and both get the same token.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../server/src/test-support/server.js';
import { exchangeRefreshTokenForAuthTokens } from '../exchange/index.js';
import { decodeJwtPayload } from '../lib/decodeJwtPayload.js';
import { fileBackend, postgresBackend, redisBackend, sqliteBackend, type Backend, type StoreSpec } from '../stores/test-support/backends.js';
import { startReadyChild } from '../test-support/readyChild.js';
import { createVault } from '../vault/createVault.js';
import { AuthSession } from './authSession.js';
import type { SessionChildInput, SessionChildOutput } from './test-support/sessionChild.js';

const CHILD = fileURLToPath(new URL('./test-support/sessionChild.ts', import.meta.url));
const HOUR = 3_600_000;
const VAULT_SECRET = 'cd'.repeat(32);
const PASSWORD = 'correct horse battery staple';

/** Starts sessionChild.ts; resolves once it has loaded its session and waits for "go". */
async function startChild(input: SessionChildInput): Promise<{ go(): void; result: Promise<SessionChildOutput> }> {
  const child = await startReadyChild(CHILD, [JSON.stringify(input)]);
  return { go: child.go, result: child.done.then((printed) => JSON.parse(printed.trim()) as SessionChildOutput) };
}

let server: TestServer;
let userId: string;

beforeAll(async () => {
  server = await startTestServer();
  userId = (await server.addUser('fleet-owner@example.com', PASSWORD)).id;
  for (const refreshPolicy of ['reuse', 'rotate'] as const) {
    await server.addClient({ id: `fleet-${refreshPolicy}`, secret: `fleet-${refreshPolicy}-secret-0123`, redirectUris: ['com.example.fleet://redirect'], scope: 'openid', refreshPolicy });
  }
});
afterAll(() => server?.close());

const cases: Array<[string, 'reuse' | 'rotate', Backend]> = [
  ['file', 'rotate', fileBackend()],
  ['file', 'reuse', fileBackend()],
  ['SQLite', 'rotate', sqliteBackend()],
  ['PostgreSQL', 'rotate', postgresBackend()],
  ['Redis', 'rotate', redisBackend()],
];

describe.each(cases)('two processes on one %s store (%s policy)', (_name, policy, backend) => {
  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());

  it('make exactly one refresh at expiry and hand out the same new token', async () => {
    const options = {
      baseUrl: server.url,
      clientId: `fleet-${policy}`,
      clientSecret: `fleet-${policy}-secret-0123`,
      redirectUri: 'com.example.fleet://redirect',
      scope: 'openid',
    };
    const store = await backend.open('fleet');
    try {
      const vault = createVault({ store, keys: [{ id: 'k1', secret: VAULT_SECRET }] });
      // Signed in once, saved to the shared store.
      await AuthSession.fromNpsso(await server.signIn('fleet-owner@example.com', PASSWORD), { ...options, vault, name: 'bot' });
      const before = (await vault.load('bot'))!;

      // Both processes see the access token as expired (their clocks are an hour ahead).
      const input: SessionChildInput = { spec: backend.spec('fleet') as StoreSpec, vaultSecret: VAULT_SECRET, options, clockOffsetMs: HOUR, callers: 50 };
      const children = await Promise.all([startChild(input), startChild(input)]);
      for (const child of children) child.go();
      const [a, b] = await Promise.all(children.map((child) => child.result));

      expect(a!.tokenRequests + b!.tokenRequests).toBe(1);
      expect(a!.accessTokens).toHaveLength(1);
      expect(b!.accessTokens).toEqual(a!.accessTokens);
      const token = a!.accessTokens[0]!;
      expect(token).not.toBe(before.accessToken);
      expect(decodeJwtPayload(token)?.sub).toBe(userId);

      // The store holds what they handed out, and the refresh token in it still works.
      const after = (await vault.load('bot'))!;
      expect(after.accessToken).toBe(token);
      if (policy === 'rotate') expect(after.refreshToken).not.toBe(before.refreshToken);
      else expect(after.refreshToken).toBe(before.refreshToken);
      const next = await exchangeRefreshTokenForAuthTokens(after.refreshToken, options);
      expect(decodeJwtPayload(next.accessToken)?.sub).toBe(userId);
    } finally {
      await store.close();
    }
  }, 60_000);
});
