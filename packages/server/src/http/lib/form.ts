/** Form bodies of the OAuth endpoints (RFC 6749: application/x-www-form-urlencoded, each parameter once). */
import type { FastifyRequest } from 'fastify';
import { pick } from './params.js';

export function isFormRequest(request: FastifyRequest): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' && typeof request.body === 'object' && request.body !== null;
}

export function readForm<K extends string>(request: FastifyRequest, names: readonly K[]): Record<K, string | undefined> {
  return pick(request.body, names);
}
