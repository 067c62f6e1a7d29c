import { describe, expect, it } from 'vitest';
import { fakeFetch, json } from '../test-support/fakeFetch.js';
import { discoverKeyturnServer } from './discoverKeyturnServer.js';
import { keyturnServer } from './keyturnServer.js';

const ISSUER = 'https://auth.example.com';
const metadata = (overrides: Record<string, unknown> = {}) => ({
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/api/authz/v3/oauth/authorize`,
  token_endpoint: `${ISSUER}/api/authz/v3/oauth/token`,
  ...overrides,
});

describe('discoverKeyturnServer', () => {
  it('reads the endpoints from the discovery document and answers what keyturnServer would', async () => {
    const f = fakeFetch(() => json(metadata()));
    const server = await discoverKeyturnServer(`${ISSUER}/`, { clientId: 'my-bot', clientSecret: 's' }, { fetch: f });
    expect(server).toEqual(keyturnServer(ISSUER, { clientId: 'my-bot', clientSecret: 's' }));
    expect(f.requests[0]!.url.href).toBe(`${ISSUER}/.well-known/openid-configuration`);
  });

  it('follows endpoints under another prefix', async () => {
    const f = fakeFetch(() => json(metadata({ authorization_endpoint: `${ISSUER}/oauth/authorize`, token_endpoint: `${ISSUER}/oauth/token` })));
    const server = await discoverKeyturnServer(ISSUER, { clientId: 'c' }, { fetch: f });
    expect(server.baseUrl).toBe(`${ISSUER}/oauth`);
  });

  const refusals: Array<[string, () => Response, RegExp]> = [
    ['names another issuer', () => json(metadata({ issuer: 'https://evil.example' })), /another issuer/],
    ['has no token endpoint', () => json(metadata({ token_endpoint: undefined })), /no token_endpoint/],
    ['splits the endpoints over two prefixes', () => json(metadata({ authorization_endpoint: `${ISSUER}/elsewhere/authorize` })), /different prefixes/],
    ['is not there', () => json({ error: 'not_found' }, 404), /no OpenID configuration .* \(HTTP 404\)/],
    ['is not JSON', () => new Response('<html></html>', { status: 200 }), /another issuer/],
  ];
  for (const [name, answer, message] of refusals) {
    it(`refuses a document that ${name} with ERR_INVALID_RESPONSE`, async () => {
      const err = await discoverKeyturnServer(ISSUER, { clientId: 'c' }, { fetch: fakeFetch(answer) }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE' });
      expect((err as Error).message).toMatch(message);
    });
  }

  it('answers ERR_SERVER when the server fails', async () => {
    await expect(discoverKeyturnServer(ISSUER, { clientId: 'c' }, { fetch: fakeFetch(() => new Response('', { status: 503 })) })).rejects.toMatchObject({
      code: 'ERR_SERVER',
      status: 503,
    });
  });
});
