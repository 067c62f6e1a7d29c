/** Reads the access code out of an `/authorize` answer, or throws the typed error it means. */
import { InvalidNpssoError, InvalidResponseError, KeyturnError } from '../errors.js';
import { errorFromFields, errorFromResponse } from '../lib/errorFromResponse.js';
import { resolveClient } from '../lib/options.js';
import { withPsnApiSentence } from '../lib/psnApiSentence.js';
import type { AuthorizationOptions } from './types.js';

/**
 * Expects a redirect to the client's redirect URI carrying `?code=…` (PlayStation answers
 * `com.scee.psxandroid.scecompcall://redirect/?code=v3.…`). A redirect carrying `?error=…`
 * becomes that error (`login_required` → `InvalidNpssoError`); a redirect elsewhere or a page
 * instead of a redirect means the server wants an interactive sign-in → `InvalidNpssoError`;
 * an error answer keeps its `error`, `error_description` (or what its HTML page says) and
 * `status`. Every error's message also carries psn-api's "There was a problem retrieving your
 * PSN access code. Is your NPSSO code valid? …", which code written for psn-api matches on.
 *
 * @example
 * ```ts
 * const code = await processAuthorizationResponse(await authorizationRequest(npsso));
 * ```
 */
export async function processAuthorizationResponse(
  res: Response,
  options: Pick<AuthorizationOptions, 'baseUrl' | 'redirectUri' | 'clientId' | 'state'> = {},
): Promise<string> {
  try {
    return await readAccessCode(res, options);
  } catch (err) {
    throw err instanceof KeyturnError ? withPsnApiSentence(err, options.baseUrl) : err;
  }
}

async function readAccessCode(res: Response, options: Pick<AuthorizationOptions, 'baseUrl' | 'redirectUri' | 'clientId' | 'state'>): Promise<string> {
  if (res.status >= 400) throw await errorFromResponse(res, 'authorize');
  if (res.status < 300) {
    await res.body?.cancel();
    throw new InvalidNpssoError(
      `the NPSSO token was not accepted: the server answered HTTP ${res.status} instead of redirecting (sign in again for a new NPSSO)`,
      { status: res.status },
    );
  }
  await res.body?.cancel();
  const location = res.headers.get('location');
  if (!location) {
    throw new InvalidResponseError(`the server redirected (HTTP ${res.status}) without a Location`, { status: res.status });
  }
  const { target, query } = splitLocation(location);
  const error = query.get('error');
  if (error) {
    throw errorFromFields(
      { status: res.status, error, error_description: query.get('error_description') ?? undefined },
      'authorize',
    );
  }
  const code = query.get('code');
  if (!code) {
    if (isRedirectToClient(target, options)) {
      throw new InvalidResponseError('the server redirected to the client without a code', { status: res.status });
    }
    throw new InvalidNpssoError(
      'the NPSSO token was not accepted: the server redirected to a sign-in page (sign in again for a new NPSSO)',
      { status: res.status },
    );
  }
  if (options.state !== undefined && query.get('state') !== options.state) {
    throw new InvalidResponseError('the redirect carried a different state than was sent', { status: res.status });
  }
  return code;
}

/**
 * The redirect URI that was sent; without one (the server picks the registered one), any
 * target off the server itself (a custom scheme, another origin) is the client.
 */
function isRedirectToClient(target: string, options: Pick<AuthorizationOptions, 'baseUrl' | 'redirectUri' | 'clientId'>): boolean {
  const client = resolveClient(options);
  if (client.redirectUri !== undefined) return stripSlash(target) === stripSlash(client.redirectUri);
  const server = new URL(client.baseUrl);
  try {
    return new URL(target, server).origin !== server.origin;
  } catch {
    return false;
  }
}

/** Custom schemes (`com.example.app://redirect/?code=…`) are split by hand, not by `URL`. */
function splitLocation(location: string): { target: string; query: URLSearchParams } {
  const hashless = location.split('#')[0] ?? '';
  const q = hashless.indexOf('?');
  if (q === -1) return { target: hashless, query: new URLSearchParams() };
  return { target: hashless.slice(0, q), query: new URLSearchParams(hashless.slice(q + 1)) };
}

function stripSlash(s: string): string {
  return s.replace(/\/+$/, '');
}
