/** OpenID Connect Discovery / RFC 8414 metadata, derived from the configuration and the published keys. */
import type { Keyturn } from './context.js';
import { GRANT_TYPES } from './grantTypes.js';

export const OAUTH_BASE = '/api/authz/v3/oauth';

/** Paths of every endpoint, relative to the issuer. One table, used by routes and metadata alike. */
export const PATHS = {
  authorize: `${OAUTH_BASE}/authorize`,
  token: `${OAUTH_BASE}/token`,
  jwks: `${OAUTH_BASE}/jwks`,
  revoke: `${OAUTH_BASE}/revoke`,
  introspect: `${OAUTH_BASE}/introspect`,
  userinfo: `${OAUTH_BASE}/userinfo`,
  ssoCookie: '/api/v1/ssocookie',
  signin: '/signin',
  signout: '/signout',
  account: '/account',
  deviceAuthorization: `${OAUTH_BASE}/device_authorization`,
  device: '/device',
} as const;

/** Revocation and introspection authenticate clients exactly as the token endpoint does. */
const CLIENT_AUTH_METHODS: readonly string[] = ['client_secret_basic', 'client_secret_post', 'none'];

/**
 * The metadata document served at both well-known paths.
 *
 * @example
 * ```ts
 * const metadata = await serverMetadata(kt); // metadata.token_endpoint === kt.config.issuer + PATHS.token
 * ```
 */
export async function serverMetadata(kt: Keyturn): Promise<Record<string, unknown>> {
  const iss = kt.config.issuer;
  const algs = await kt.keys.algorithms();
  const metadata: Record<string, unknown> = {
    issuer: iss,
    authorization_endpoint: iss + PATHS.authorize,
    token_endpoint: iss + PATHS.token,
    jwks_uri: iss + PATHS.jwks,
    userinfo_endpoint: iss + PATHS.userinfo,
    revocation_endpoint: iss + PATHS.revoke,
    introspection_endpoint: iss + PATHS.introspect,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANT_TYPES],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: algs,
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'azp', 'sid', 'email', 'email_verified', 'name'],
    prompt_values_supported: ['none', 'login'],
    authorization_response_iss_parameter_supported: true,
    device_authorization_endpoint: iss + PATHS.deviceAuthorization,
  };
  return metadata;
}
