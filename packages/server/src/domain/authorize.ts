/**
 * The authorization endpoint's rules: which requests may be redirected back to the client,
 * what they may ask for, and issuing the single-use code.
 */
import type { ClientRecord } from '../storage/records.js';
import { CLIENT_ID } from './clients.js';
import type { Keyturn } from './context.js';
import { AuthorizeRequestError, OAuthError } from './errors.js';
import { requireGrant } from './grantTypes.js';
import { randomToken, sha256Hex } from './lib/crypto.js';
import { formatScope, isSubset, parseRequestedScope } from './scope.js';
import type { LiveSso } from './sso.js';

/** Query parameters of an authorization request, as strings (absent = undefined). */
export interface AuthorizeParams {
  client_id?: string | undefined;
  redirect_uri?: string | undefined;
  response_type?: string | undefined;
  scope?: string | undefined;
  state?: string | undefined;
  nonce?: string | undefined;
  code_challenge?: string | undefined;
  code_challenge_method?: string | undefined;
  access_type?: string | undefined;
  prompt?: string | undefined;
  max_age?: string | undefined;
}

/** A request whose client and redirect URI are known good: errors from here on go back to the client. */
export interface ValidatedClientRequest {
  client: ClientRecord;
  redirectUri: string;
  /** False when the request left redirect_uri out and the client's only one was used. */
  redirectUriGiven: boolean;
  state: string | undefined;
}

const CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;
const MAX_PARAM = 2048;

/** Checks client and redirect URI. Never redirects: a failure here is shown on an error page. */
export async function validateClientAndRedirect(kt: Keyturn, params: AuthorizeParams): Promise<ValidatedClientRequest> {
  if (!params.client_id) throw new AuthorizeRequestError('ERR_MISSING_CLIENT');
  const client = CLIENT_ID.test(params.client_id) ? await kt.repo.getClient(params.client_id) : null;
  if (!client) throw new AuthorizeRequestError('ERR_UNKNOWN_CLIENT');
  let redirectUri = params.redirect_uri;
  if (redirectUri === undefined) {
    if (client.redirectUris.length !== 1) throw new AuthorizeRequestError('ERR_MISSING_REDIRECT_URI');
    redirectUri = client.redirectUris[0]!;
  } else if (!client.redirectUris.includes(redirectUri)) {
    // Exact string match, custom schemes included (RFC 9700 2.1).
    throw new AuthorizeRequestError('ERR_UNREGISTERED_REDIRECT_URI');
  }
  return { client, redirectUri, redirectUriGiven: params.redirect_uri !== undefined, state: params.state };
}

export interface CodeIssued {
  code: string;
}

/**
 * Issues an authorization code for a signed-in person. Throws `OAuthError`s meant for the
 * client's redirect URI (invalid_scope, invalid_request, unsupported_response_type).
 */
export async function issueCode(kt: Keyturn, req: ValidatedClientRequest, params: AuthorizeParams, sso: LiveSso): Promise<CodeIssued> {
  const { client } = req;
  requireGrant(client, 'authorization_code');
  if (params.response_type !== 'code') throw new OAuthError('unsupported_response_type', 'only response_type=code is supported');
  for (const value of [params.scope, params.state, params.nonce]) {
    if (value !== undefined && value.length > MAX_PARAM) throw new OAuthError('invalid_request', 'a parameter is too long');
  }
  let requested = params.scope === undefined ? client.scopes : parseRequestedScope(params.scope);
  if (requested.length === 0) requested = client.scopes;
  if (!isSubset(requested, client.scopes)) throw new OAuthError('invalid_scope', 'scope asks for more than this client may have');

  let challenge: string | null = null;
  if (params.code_challenge !== undefined) {
    if ((params.code_challenge_method ?? 'plain') !== 'S256') throw new OAuthError('invalid_request', 'code_challenge_method must be S256');
    if (!CHALLENGE.test(params.code_challenge)) throw new OAuthError('invalid_request', 'code_challenge is malformed');
    challenge = params.code_challenge;
  } else if (params.code_challenge_method !== undefined) {
    throw new OAuthError('invalid_request', 'code_challenge_method without code_challenge');
  } else if (client.secretHash === null) {
    throw new OAuthError('invalid_request', 'a public client must use PKCE (code_challenge with S256)');
  }

  const offline = params.access_type === 'offline' || requested.includes('offline_access');
  const code = `v3.${randomToken(32)}`;
  const now = kt.now();
  await kt.repo.createAuthCode({
    codeHash: sha256Hex(code),
    clientId: client.id,
    userId: sso.user.id,
    ssoSessionId: sso.session.id,
    redirectUri: req.redirectUri,
    redirectUriGiven: req.redirectUriGiven,
    scope: formatScope(requested),
    nonce: params.nonce ?? null,
    codeChallenge: challenge,
    codeChallengeMethod: challenge ? 'S256' : null,
    offline,
    authTime: sso.session.authTime,
    createdAt: now,
    expiresAt: now + kt.config.codeTtlSec * 1000,
    consumedAt: null,
    grantId: null,
  });
  return { code };
}

/**
 * Appends parameters to a redirect URI the way PlayStation's endpoint does: an authority with
 * no path gets "/" first, so `com.example.app://redirect` becomes
 * `com.example.app://redirect/?code=…` (psn-api splits on "redirect/").
 */
export function buildRedirect(redirectUri: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, v);
  let base = redirectUri;
  const authorityOnly = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*(\?|$)/.exec(base);
  if (authorityOnly) {
    const cut = authorityOnly[0].length - authorityOnly[1]!.length;
    base = `${base.slice(0, cut)}/${base.slice(cut)}`;
  }
  return `${base}${base.includes('?') ? '&' : '?'}${query.toString()}`;
}
