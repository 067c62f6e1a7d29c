/** Helpers of the token-lifecycle tests: one code flow, and plain-fetch calls to refresh, revoke, introspect and userinfo. */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { TestServer } from '../../test-support/server.js';
import { authorize, basic, codeFrom, pkcePair, tokenRequest } from '../lib.js';

export const REDIRECT = 'http://127.0.0.1:9/callback';
export const PASSWORD = 'correct horse battery';

export interface TestClient {
  id: string;
  secret: string | null;
  /** `Authorization` header for a confidential client; `undefined` for a public one. */
  auth: string | undefined;
  /** Form fields that identify the client (client_id for a public client). */
  form: Record<string, string>;
}

/** Registers a client through the domain and returns how to authenticate as it. */
export async function registerClient(
  s: TestServer,
  id: string,
  options: { public?: boolean; refreshPolicy?: 'reuse' | 'rotate'; refreshTtlSec?: number; refreshIdleTtlSec?: number; scope?: string } = {},
): Promise<TestClient> {
  const secret = options.public ? null : `${id}-secret-0123456789`;
  await s.addClient({
    id,
    ...(secret ? { secret } : { public: true }),
    redirectUris: [REDIRECT],
    scope: options.scope ?? 'openid profile email offline_access',
    refreshPolicy: options.refreshPolicy,
    refreshTtlSec: options.refreshTtlSec ?? null,
    refreshIdleTtlSec: options.refreshIdleTtlSec ?? null,
  });
  return { id, secret, auth: secret ? basic(id, secret) : undefined, form: secret ? {} : { client_id: id } };
}

export type TokenBody = Record<string, unknown> & { access_token: string; refresh_token: string; id_token?: string; scope: string; refresh_token_expires_in: number };

/** authorize (with PKCE) + code exchange; throws unless both succeed. */
export async function signInTokens(s: TestServer, npsso: string, client: TestClient, params: Record<string, string> = {}): Promise<TokenBody> {
  const { verifier, challenge } = pkcePair();
  const { location } = await authorize(s.url, npsso, {
    client_id: client.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid profile email', access_type: 'offline',
    code_challenge: challenge, code_challenge_method: 'S256', ...params,
  });
  const res = await tokenRequest(s.url, { grant_type: 'authorization_code', code: codeFrom(location), redirect_uri: REDIRECT, code_verifier: verifier, ...client.form }, client.auth);
  if (res.status !== 200) throw new Error(`code exchange failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as TokenBody;
}

export function refresh(s: TestServer, client: TestClient, refreshToken: string, extra: Record<string, string> = {}) {
  return tokenRequest(s.url, { grant_type: 'refresh_token', refresh_token: refreshToken, ...client.form, ...extra }, client.auth);
}

export async function postForm(s: TestServer, path: string, form: Record<string, string>, authorization?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

export async function introspect(s: TestServer, client: TestClient, token: string, extra: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await postForm(s, '/api/authz/v3/oauth/introspect', { token, ...client.form, ...extra }, client.auth);
  if (res.status !== 200) throw new Error(`introspection answered ${res.status}: ${res.text}`);
  return JSON.parse(res.text) as Record<string, unknown>;
}

export function revoke(s: TestServer, client: TestClient, token: string, extra: Record<string, string> = {}) {
  return postForm(s, '/api/authz/v3/oauth/revoke', { token, ...client.form, ...extra }, client.auth);
}

export async function userinfo(s: TestServer, accessToken: string): Promise<{ status: number; body: unknown; challenge: string | null }> {
  const res = await fetch(`${s.url}/api/authz/v3/oauth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, challenge: res.headers.get('www-authenticate') };
}

/** Verifies a JWT of the server against its published JWKS and returns the payload. */
export async function verifyJwt(s: TestServer, token: string, typ: 'JWT' | 'at+jwt', currentDate?: Date): Promise<JWTPayload> {
  const jwks = createLocalJWKSet((await (await fetch(`${s.url}/api/authz/v3/oauth/jwks`)).json()) as JSONWebKeySet);
  const { payload } = await jwtVerify(token, jwks, { issuer: s.issuer, typ, ...(currentDate ? { currentDate } : {}) });
  return payload;
}

/** A clock the tests move by hand. */
export function manualClock(start = Date.now()) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    date: () => new Date(t),
  };
}
