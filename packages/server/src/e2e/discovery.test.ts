/**
 * Server metadata (OpenID Connect Discovery, RFC 8414) and the contract paths of DESIGN.md. The
 * other tests read the paths from the server's `PATHS`; this one holds them to the literal
 * strings the outside world (psn-api, PlayStation's apps) depends on.
 */
import { describe, expect, it } from 'vitest';
import { PATHS } from '../test-support/paths.js';
import { useServer } from '../test-support/server.js';

const CONTRACT = {
  authorize: '/api/authz/v3/oauth/authorize',
  token: '/api/authz/v3/oauth/token',
  jwks: '/api/authz/v3/oauth/jwks',
  revoke: '/api/authz/v3/oauth/revoke',
  introspect: '/api/authz/v3/oauth/introspect',
  userinfo: '/api/authz/v3/oauth/userinfo',
  ssoCookie: '/api/v1/ssocookie',
  deviceAuthorization: '/api/authz/v3/oauth/device_authorization',
  device: '/device',
};

describe('server metadata and the contract paths', () => {
  const f = useServer({});

  it('keeps the endpoints at the paths DESIGN.md promises', () => {
    expect(PATHS).toMatchObject(CONTRACT);
  });

  it('advertises every endpoint at its contract path, and the client authentication methods of revocation and introspection, in both metadata documents', async () => {
    const { s } = f;
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const meta = (await (await fetch(`${s.url}${path}`)).json()) as Record<string, unknown>;
      expect(meta).toMatchObject({
        issuer: s.issuer,
        authorization_endpoint: `${s.issuer}${CONTRACT.authorize}`,
        token_endpoint: `${s.issuer}${CONTRACT.token}`,
        jwks_uri: `${s.issuer}${CONTRACT.jwks}`,
        revocation_endpoint: `${s.issuer}${CONTRACT.revoke}`,
        introspection_endpoint: `${s.issuer}${CONTRACT.introspect}`,
        userinfo_endpoint: `${s.issuer}${CONTRACT.userinfo}`,
        device_authorization_endpoint: `${s.issuer}${CONTRACT.deviceAuthorization}`,
        grant_types_supported: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      });
    }
  });

  it('answers at the contract paths themselves', async () => {
    const { s } = f;
    const jwks = await fetch(`${s.url}${CONTRACT.jwks}`);
    expect(jwks.status).toBe(200);
    expect(((await jwks.json()) as { keys: unknown[] }).keys).toHaveLength(1);
    const sso = await fetch(`${s.url}${CONTRACT.ssoCookie}`);
    expect(sso.status).toBe(401);
    expect(await sso.json()).toMatchObject({ error: 'login_required' });
  });
});
