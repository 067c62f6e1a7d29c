/** Reading client credentials from a request: HTTP Basic (RFC 6749 2.3.1), form fields, or none (a public client). */
import type { FastifyRequest } from 'fastify';
import type { ClientCredentials } from '../../domain/authenticateClient.js';
import { ClientAuthError, OAuthError } from '../../domain/errors.js';

/** The credentials of a request whose form has `client_id` / `client_secret` already read. */
export function parseClientCredentials(request: FastifyRequest, form: { client_id?: string | undefined; client_secret?: string | undefined }): ClientCredentials {
  const authorization = request.headers.authorization;
  const address = request.ip;
  if (typeof authorization === 'string' && /^basic /i.test(authorization)) {
    if (form.client_secret !== undefined) throw new OAuthError('invalid_request', 'use one client authentication method, not two');
    const decoded = decodeBasic(authorization);
    if (!decoded) throw new ClientAuthError('client_secret_basic', 'malformed Basic credentials');
    if (form.client_id !== undefined && form.client_id !== decoded.id) throw new OAuthError('invalid_request', 'client_id does not match the Basic credentials');
    return { ...decoded, method: 'client_secret_basic', address };
  }
  const method = form.client_secret === undefined ? 'none' : 'client_secret_post';
  return { id: form.client_id, secret: form.client_secret, method, address };
}

function decodeBasic(header: string): { id: string; secret: string } | null {
  const encoded = header.slice(6).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 1) return null;
  try {
    // RFC 6749 2.3.1: id and secret are form-urlencoded before Basic encoding.
    return { id: decodeForm(text.slice(0, colon)), secret: decodeForm(text.slice(colon + 1)) };
  } catch {
    return null;
  }
}

function decodeForm(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}
