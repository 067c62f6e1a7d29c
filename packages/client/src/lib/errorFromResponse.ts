/** Maps a non-success HTTP answer to the typed error it means. */
import {
  InvalidClientError,
  InvalidNpssoError,
  InvalidResponseError,
  type KeyturnError,
  OAuthError,
  RateLimitedError,
  ReloginRequiredError,
  ServerError,
  type OAuthErrorFields,
} from '../errors.js';
import { deviceErrorFromFields } from './deviceErrorFromFields.js';
import { htmlErrorText, looksLikeHtml } from './htmlErrorText.js';

/** Which exchange the answer belongs to: the same `error` means different things in each. */
export type ExchangeKind = 'authorize' | 'authorization_code' | 'refresh_token' | 'device_authorization' | 'device_code';

/**
 * Reads the RFC 6749 error fields from a JSON body, if it has them; from an HTML error page,
 * what the page says becomes `error_description` (there is no `error` code to read). Never throws.
 */
export async function readErrorFields(res: Response): Promise<OAuthErrorFields> {
  const fields: OAuthErrorFields = { status: res.status };
  let text: string;
  try {
    text = await res.text();
  } catch {
    return fields;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (looksLikeHtml(text, res.headers.get('content-type'))) fields.error_description = htmlErrorText(text);
    return fields;
  }
  if (body && typeof body === 'object') {
    const { error, error_description } = body as Record<string, unknown>;
    if (typeof error === 'string') fields.error = error;
    if (typeof error_description === 'string') fields.error_description = error_description;
  }
  return fields;
}

/** The error for an OAuth `error` code (from a JSON body or a redirect's query). */
export function errorFromFields(fields: OAuthErrorFields, kind: ExchangeKind): KeyturnError {
  const what = fields.error ?? `HTTP ${fields.status}`;
  const detail = fields.error_description ? `: ${fields.error_description}` : '';
  const device = kind === 'device_code' ? deviceErrorFromFields(fields) : undefined;
  if (device) return device;
  switch (fields.error) {
    case 'invalid_client':
    case 'unauthorized_client':
      return new InvalidClientError(`the server refused the client (${what})${detail}`, fields);
    case 'login_required':
    case 'invalid_npsso':
      return new InvalidNpssoError(`the NPSSO token was refused (${what})${detail}`, fields);
    case 'invalid_grant':
      if (kind === 'refresh_token') {
        return new ReloginRequiredError(`the refresh token was refused (${what})${detail}; sign in again`, fields);
      }
      break;
  }
  if (kind === 'authorize' && (fields.status === 401 || fields.status === 403) && !fields.error) {
    return new InvalidNpssoError(`the NPSSO token was refused (${what})${detail}`, fields);
  }
  if (fields.status === 401 && !fields.error) {
    return new InvalidClientError(`the server refused the client (${what})${detail}`, fields);
  }
  if (!fields.error) {
    // No machine-readable code; what an error page said (in `detail`) is still worth showing.
    return new InvalidResponseError(`unexpected answer (${what})${detail || ' without an OAuth error'}`, fields);
  }
  return new OAuthError(`the server answered ${what}${detail}`, fields);
}

/** Turns a failed answer (4xx/5xx) into its typed error; consumes the body. */
export async function errorFromResponse(res: Response, kind: ExchangeKind, now = Date.now()): Promise<KeyturnError> {
  const fields = await readErrorFields(res);
  if (res.status === 429) {
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'), now);
    const when = retryAfter === undefined ? '' : `; retry after ${retryAfter} s`;
    return new RateLimitedError(`rate limited by the server (HTTP 429)${when}`, fields, retryAfter);
  }
  if (res.status >= 500) {
    const code = fields.error ? ` (${fields.error})` : '';
    const detail = fields.error_description ? `: ${fields.error_description}` : '';
    return new ServerError(`the server failed (HTTP ${res.status})${code}${detail}`, fields);
  }
  return errorFromFields(fields, kind);
}

/** `Retry-After` as seconds from now: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
