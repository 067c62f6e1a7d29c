/** Form bodies of the OAuth endpoints (RFC 6749: application/x-www-form-urlencoded, each parameter once). */
import type { FastifyRequest } from 'fastify';
import { authenticateClient } from '../../domain/authenticateClient.js';
import type { Keyturn } from '../../domain/context.js';
import { OAuthError } from '../../domain/errors.js';
import type { ClientRecord } from '../../storage/records.js';
import { parseClientCredentials } from './clientCredentials.js';
import { pick } from './params.js';
import { noteOnLog } from './requestLog.js';

export function isFormRequest(request: FastifyRequest): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' && typeof request.body === 'object' && request.body !== null;
}

export function readForm<K extends string>(request: FastifyRequest, names: readonly K[]): Record<K, string | undefined> {
  return pick(request.body, names);
}

/**
 * The shared first step of the token, revocation and introspection endpoints: a form body,
 * its named parameters, and the client authenticated by Basic, form fields, or none (public).
 */
export async function readClientForm<K extends string>(
  kt: Keyturn,
  request: FastifyRequest,
  names: readonly K[],
): Promise<{ client: ClientRecord; form: Record<K | 'client_id' | 'client_secret', string | undefined> }> {
  if (!isFormRequest(request)) throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  const form = readForm(request, [...names, 'client_id', 'client_secret'] as const);
  const client = await authenticateClient(kt, parseClientCredentials(request, form));
  noteOnLog(request, { clientId: client.id });
  return { client, form };
}
