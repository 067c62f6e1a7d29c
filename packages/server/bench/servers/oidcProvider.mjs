// The peer: oidc-provider configured for the same work as Keyturn's refresh grant. Confidential
// clients with client_secret_basic, one 2048-bit RSA (or P-256) key, resourceIndicators with a
// default resource so access tokens are RFC 9068 JWTs, refresh tokens always issued and never
// ended with the session, rotation only for the clients whose id ends in "rotate". Storage is
// oidc-provider's own in-memory adapter, given a store large enough for the bench's tokens (its
// default holds 1,000 entries and would evict them). Interactions are answered at once: the
// login and consent of one bench person, through oidc-provider's interaction API.
import http from 'node:http';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';
import LRU from 'oidc-provider/lib/helpers/lru.js';
import { childConfig, ready, runChild } from './child.mjs';

export const RESOURCE = 'https://api.bench.example';

runChild(async () => {
  const { alg, clients, redirect } = childConfig();
  const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg, use: 'sig' };
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const store = new LRU({ maxSize: 5_000_000 });

  const provider = new Provider(issuer, {
    adapter: (model) => new MemoryAdapter(model, store),
    clients: clients.map((c) => ({
      client_id: c.id,
      client_secret: c.secret,
      redirect_uris: [redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: alg,
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: ['bench-cookie-key-0123456789abcdef'] },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'api:read', audience: RESOURCE, accessTokenTTL: 3600, accessTokenFormat: 'jwt', jwt: { sign: { alg } } }),
      },
    },
    scopes: ['openid', 'offline_access'],
    pkce: { required: () => false },
    issueRefreshToken: () => true,
    rotateRefreshToken: (ctx) => ctx.oidc.client.clientId.endsWith('rotate'),
    expiresWithSession: () => false,
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 60 * 86_400, Grant: 60 * 86_400, Session: 60 * 86_400, Interaction: 600 },
    findAccount: (ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  provider.on('server_error', (ctx, err) => console.error('oidc-provider server_error', err));

  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (!req.url.startsWith('/interaction/')) return callback(req, res);
    finishInteraction(provider, req, res).catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  ready(issuer, { resource: RESOURCE }, () => new Promise((resolve) => server.close(resolve)));
});

/** Signs the bench person in and grants what the client asked for (openid, offline_access, the resource's scope). */
async function finishInteraction(provider, req, res) {
  const { params } = await provider.interactionDetails(req, res);
  const accountId = 'bench-person';
  const grant = new provider.Grant({ accountId, clientId: params.client_id });
  const asked = String(params.scope ?? '').split(' ');
  const oidcScope = asked.filter((s) => s === 'openid' || s === 'offline_access').join(' ');
  if (oidcScope) grant.addOIDCScope(oidcScope);
  grant.addResourceScope(RESOURCE, 'api:read');
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
}
