/**
 * The refresh_token grant as the token endpoint runs it: one query reads the token with its
 * grant, client and person, and the client is authenticated from that row. Reading the client
 * first, then the token, took two round trips per refresh; on PostgreSQL each is a wait.
 */
import type { ClientCredentials } from '../authenticateClient.js';
import { authenticateClient } from '../authenticateClient.js';
import type { ClientRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { readRefreshToken } from './lookupRefreshToken.js';
import { refreshTokens, type RefreshRequest } from './refresh.js';
import type { TokenResponse } from './response.js';

/**
 * Authenticates the client of `credentials` and refreshes: the same answers and errors, in the
 * same order, as `authenticateClient` followed by `refreshTokens`.
 *
 * @example
 * ```ts
 * const body = await refreshGrant(kt, parseClientCredentials(request, form), { refreshToken: form.refresh_token });
 * ```
 */
export async function refreshGrant(
  kt: Keyturn,
  credentials: ClientCredentials,
  input: RefreshRequest,
  /** Runs once the client is known, before the token is judged (the caller's checks, e.g. the grant types it may use). */
  authenticated: (client: ClientRecord) => void = () => undefined,
): Promise<TokenResponse> {
  const read = input.refreshToken ? await readRefreshToken(kt, input.refreshToken) : null;
  const client = await authenticateClient(kt, credentials, read?.client);
  authenticated(client);
  return refreshTokens(kt, client, input, read);
}
