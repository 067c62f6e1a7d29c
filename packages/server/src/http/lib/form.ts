/** Form bodies of the OAuth endpoints (RFC 6749: application/x-www-form-urlencoded, each parameter once). */
import type { FastifyRequest } from 'fastify';
import { authenticateClient, type ClientCredentials } from '../../domain/authenticateClient.js';
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

type ClientFormFields<K extends string> = Record<K | 'client_id' | 'client_secret', string | undefined>;

/** A form body, its named parameters, and the client credentials it carries (Basic, form fields, or none), not yet checked. */
export function readCredentialsForm<K extends string>(request: FastifyRequest, names: readonly K[]): { credentials: ClientCredentials; form: ClientFormFields<K> } {
  if (!isFormRequest(request)) throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
  const form = readForm(request, [...names, 'client_id', 'client_secret'] as const);
  return { credentials: parseClientCredentials(request, form), form };
}

/**
 * The shared first step of the token, revocation and introspection endpoints: a form body,
 * its named parameters, and the client authenticated by Basic, form fields, or none (public).
 */
export async function readClientForm<K extends string>(kt: Keyturn, request: FastifyRequest, names: readonly K[]): Promise<{ client: ClientRecord; form: ClientFormFields<K> }> {
  const { credentials, form } = readCredentialsForm(request, names);
  const client = await authenticateClient(kt, credentials);
  noteOnLog(request, { clientId: client.id });
  return { client, form };
}
