/** Reads a 200 answer's JSON object and its fields strictly: a missing or malformed field is `InvalidResponseError`, never `undefined`. */
import { InvalidResponseError } from '../errors.js';

/** The body as a JSON object; `where` names the endpoint in the error ("the token endpoint"). */
export async function readJsonObject(res: Response, where: string): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await res.json();
  } catch (err) {
    throw new InvalidResponseError(`${where} answered 200 with a body that is not JSON`, { status: 200 }, { cause: err });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidResponseError(`${where} answered 200 with a body that is not a JSON object`, { status: 200 });
  }
  return body as Record<string, unknown>;
}

/** A string field (non-empty unless `allowEmpty`). */
export function requireString(b: Record<string, unknown>, key: string, where: string, allowEmpty = false): string {
  const v = b[key];
  if (typeof v !== 'string' || (!allowEmpty && v.length === 0)) {
    throw new InvalidResponseError(`${where} answered 200 without a valid "${key}"`, { status: 200 });
  }
  return v;
}

/** A count of seconds, sent as a number or a numeric string, never negative. */
export function requireSeconds(b: Record<string, unknown>, key: string, where: string): number {
  const raw = b[key];
  const v = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new InvalidResponseError(`${where} answered 200 without a valid "${key}"`, { status: 200 });
  }
  return v;
}
