/**
 * The OAuth steps of a client, done with plain fetch: the authorize request with the npsso
 * cookie, the token request, refresh, and the two together as a signed-in app does them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestClient } from './clients.js';
import { endpoint, type Target } from './paths.js';

/** What the token endpoint answers: status, parsed JSON and headers. */
export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** A successful token response. */
export type TokenBody = Record<string, unknown> & { access_token: string; refresh_token: string; id_token?: string; scope: string; refresh_token_expires_in: number };

/** A fresh PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * GET /authorize with the npsso cookie (none for `null`); returns the status and Location header.
 *
 * @example
 * ```ts
 * const { location } = await authorize(s, npsso, { client_id: app.id, redirect_uri: app.redirectUri, response_type: 'code', scope: 'openid' });
 * const code = codeFrom(location);
 * ```
 */
export async function authorize(target: Target, npsso: string | null, params: Record<string, string>): Promise<{ status: number; location: string | null }> {
  const res = await fetch(`${endpoint(target, 'authorize')}?${new URLSearchParams(params).toString()}`, {
    redirect: 'manual',
    headers: npsso ? { cookie: `npsso=${npsso}` } : {},
  });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') };
}

/** The `code` of a redirect to the client; throws when there is none. */
export function codeFrom(location: string | null): string {
  const code = location ? new URLSearchParams(location.split('?')[1] ?? '').get('code') : null;
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

/**
 * POST /token with a form body (and a Basic header when given).
 *
 * @example
 * ```ts
 * const res = await tokenRequest(s, { grant_type: 'authorization_code', code, redirect_uri }, app.auth);
 * expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
 * ```
 */
export async function tokenRequest(target: Target, form: Record<string, string>, authorization?: string, headers: Record<string, string> = {}): Promise<TokenAnswer> {
  const res = await fetch(endpoint(target, 'token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}), ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/** The refresh_token grant, authenticated as `client`, with `extra` fields (e.g. scope). */
export function refresh(target: Target, client: TestClient, refreshToken: string, extra: Record<string, string> = {}): Promise<TokenAnswer> {
  return tokenRequest(target, { grant_type: 'refresh_token', refresh_token: refreshToken, ...client.form, ...extra }, client.auth);
}

/** A refresh reduced to what an app sees first: the status and the error code, if any. */
export async function refreshOutcome(target: Target, client: TestClient, refreshToken: string): Promise<{ status: number; error: unknown }> {
  const res = await refresh(target, client, refreshToken);
  return { status: res.status, error: res.body.error };
}

/**
 * What a signed-in app does: authorize (with PKCE, offline access) and exchange the code.
 * `params` override the authorize parameters; `userAgent` is sent on the code exchange (the
 * account page names the device from it). Asserts the exchange succeeded.
 *
 * @example
 * ```ts
 * const tokens = await signInTokens(s, await ada.signIn(), app, { scope: 'openid email' });
 * ```
 */
export async function signInTokens(target: Target, npsso: string, client: TestClient, params: Record<string, string> = {}, options: { userAgent?: string } = {}): Promise<TokenBody> {
  const { verifier, challenge } = pkcePair();
  const { location } = await authorize(target, npsso, {
    client_id: client.id, redirect_uri: client.redirectUri, response_type: 'code', scope: 'openid profile email', access_type: 'offline',
    code_challenge: challenge, code_challenge_method: 'S256', ...params,
  });
  const form = { grant_type: 'authorization_code', code: codeFrom(location), redirect_uri: client.redirectUri, code_verifier: verifier, ...client.form };
  const res = await tokenRequest(target, form, client.auth, options.userAgent ? { 'user-agent': options.userAgent } : {});
  expect(res, 'the code exchange').toMatchObject({ status: 200 });
  return res.body as TokenBody;
}
