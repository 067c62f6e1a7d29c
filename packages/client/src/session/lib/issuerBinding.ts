/** Which server tokens belong to: a refresh goes to the server and client that issued them, never elsewhere. */
import { IssuerMismatchError } from '../../errors.js';
import type { AuthTokensResponse, ExchangeOptions } from '../../exchange/types.js';
import { issuerOf } from '../../lib/options.js';
import { isStoredTokens, toStoredTokens } from '../toStoredTokens.js';
import type { StoredTokens, TokenIssuer } from '../../vault/types.js';

/** The issuer tokens are bound to, or `undefined` for entries saved before tokens remembered it. */
export function boundIssuer(tokens: StoredTokens): TokenIssuer | undefined {
  if (tokens.tokenEndpoint === undefined || tokens.clientId === undefined) return undefined;
  return { tokenEndpoint: tokens.tokenEndpoint, clientId: tokens.clientId };
}

/** True when the options name a server or a client (rather than leaving both to defaults). */
export function namesServer(options: ExchangeOptions): boolean {
  return options.baseUrl !== undefined || options.clientId !== undefined;
}

/**
 * The exchange options that refresh these tokens. Bound tokens go to their own token endpoint
 * as their own client, whatever defaults apply; options that NAME another endpoint or client
 * are refused with `IssuerMismatchError` before anything is sent. Unbound (older) tokens use
 * the options as they are. Without a `scope` in the options, bound tokens ask for the scope
 * they hold rather than PlayStation's default.
 */
export function refreshOptionsFor(tokens: StoredTokens, options: ExchangeOptions): ExchangeOptions {
  const issuedBy = boundIssuer(tokens);
  if (!issuedBy) return options;
  const requested = issuerOf({ ...options, baseUrl: options.baseUrl ?? baseUrlOf(issuedBy), clientId: options.clientId ?? issuedBy.clientId });
  if (requested.tokenEndpoint !== issuedBy.tokenEndpoint || requested.clientId !== issuedBy.clientId) {
    throw new IssuerMismatchError(issuedBy, requested);
  }
  return {
    ...options,
    baseUrl: baseUrlOf(issuedBy),
    clientId: issuedBy.clientId,
    scope: options.scope ?? (tokens.scope === '' ? undefined : tokens.scope),
  };
}

/** The OAuth prefix of a token endpoint this package wrote (`{baseUrl}/token`). */
function baseUrlOf(issuer: TokenIssuer): string {
  return issuer.tokenEndpoint.replace(/\/token$/, '');
}

/**
 * Stored tokens as they are; an exchange result (relative times from `nowMs`) bound to the server
 * it would be refreshed at, when that is known: the one of the tokens it replaces, else the
 * options' when they name one. Otherwise it stays unbound, as it always was.
 */
export function sessionTokens(
  tokens: AuthTokensResponse | StoredTokens,
  options: ExchangeOptions,
  nowMs: number,
  replacing?: StoredTokens,
): StoredTokens {
  if (isStoredTokens(tokens)) return { ...tokens };
  const bound = replacing && boundIssuer(replacing) ? refreshOptionsFor(replacing, options) : undefined;
  return toStoredTokens(tokens, nowMs, bound ?? (namesServer(options) ? options : undefined));
}
