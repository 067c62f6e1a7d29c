/**
 * `GET|POST /api/authz/v3/oauth/userinfo` (OIDC Core 5.3) with a bearer token in the
 * `Authorization` header, or for POST in the form field `access_token` (RFC 6750 2.1, 2.2).
 * Errors follow RFC 6750 3: a `WWW-Authenticate: Bearer …` challenge, and no error code when
 * the request carried no token at all.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { PATHS } from '../../domain/discovery.js';
import { OAuthError } from '../../domain/errors.js';
import { userInfo } from '../../domain/userinfo.js';
import { isFormRequest } from '../lib/form.js';
import { single } from '../lib/params.js';

const REALM = 'keyturn';
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function registerUserInfoRoute(app: FastifyInstance, kt: Keyturn): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let token: string | null;
    try {
      token = bearerToken(request);
    } catch (err) {
      if (err instanceof OAuthError) return challenge(reply, err);
      throw err;
    }
    if (token === null) {
      return reply.code(401).header('WWW-Authenticate', `Bearer realm="${REALM}"`).header('Cache-Control', 'no-store').send();
    }
    try {
      const info = await userInfo(kt, token);
      return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(info);
    } catch (err) {
      if (err instanceof OAuthError) return challenge(reply, err);
      throw err;
    }
  };
  app.get(PATHS.userinfo, handler);
  app.post(PATHS.userinfo, handler);
}

/** The token from the header or (POST, form body) `access_token`; `null` when none; invalid_request when both or malformed. */
function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const fromBody = request.method === 'POST' && isFormRequest(request) ? single(request.body, 'access_token') : undefined;
  if (header !== undefined && fromBody !== undefined) throw new OAuthError('invalid_request', 'send the access token in one place only');
  if (fromBody !== undefined) {
    if (fromBody === '') throw new OAuthError('invalid_request', 'access_token is empty');
    return fromBody;
  }
  if (header === undefined) return null;
  const match = BEARER.exec(header);
  if (!match) {
    if (!/^bearer\b/i.test(header)) return null;
    throw new OAuthError('invalid_request', 'malformed Bearer credentials');
  }
  return match[1]!;
}

function challenge(reply: FastifyReply, err: OAuthError) {
  const scope = err.error === 'insufficient_scope' ? ', scope="openid"' : '';
  const description = err.description.replace(/["\\]/g, '');
  return reply
    .code(err.status)
    .header('WWW-Authenticate', `Bearer realm="${REALM}", error="${err.error}", error_description="${description}"${scope}`)
    .header('Cache-Control', 'no-store')
    .send({ error: err.error, error_description: err.description });
}
