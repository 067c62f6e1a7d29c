/**
 * Calls to the endpoints that use or end tokens, with plain fetch: introspection, revocation,
 * userinfo, the JWKS (and verifying a token against it), and PlayStation's ssocookie.
 */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { expect } from 'vitest';
import type { TestClient } from './clients.js';
import { endpoint, type Endpoint, type Target } from './paths.js';
import type { TestServer } from './server.js';

/** A raw answer as text (the endpoints below answer JSON, or nothing, or an error). */
export interface FormAnswer {
  status: number;
  text: string;
  headers: Headers;
}

/**
 * POSTs a form to an endpoint (by its name in `PATHS`), with a Basic header when given.
 *
 * @example
 * ```ts
 * const res = await postForm(s, 'introspect', { token }, basic('app', 'wrong-secret'));
 * ```
 */
export async function postForm(target: Target, name: Endpoint, form: Record<string, string>, authorization?: string): Promise<FormAnswer> {
  const res = await fetch(endpoint(target, name), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** Introspects `token` as `client` (RFC 7662); asserts the 200 and returns the JSON. */
export async function introspect(target: Target, client: TestClient, token: string, extra: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await postForm(target, 'introspect', { token, ...client.form, ...extra }, client.auth);
  expect(res, 'the introspection answer').toMatchObject({ status: 200 });
  return JSON.parse(res.text) as Record<string, unknown>;
}

/** Revokes `token` as `client` (RFC 7009). */
export function revoke(target: Target, client: TestClient, token: string, extra: Record<string, string> = {}): Promise<FormAnswer> {
  return postForm(target, 'revoke', { token, ...client.form, ...extra }, client.auth);
}

/** GET userinfo with a bearer token: status, JSON body (null when empty) and the challenge. */
export async function userinfo(target: Target, accessToken: string): Promise<{ status: number; body: unknown; challenge: string | null }> {
  const res = await fetch(endpoint(target, 'userinfo'), { headers: { authorization: `Bearer ${accessToken}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, challenge: res.headers.get('www-authenticate') };
}

/** The published JWKS; asserts the 200. */
export async function jwks(target: Target): Promise<JSONWebKeySet> {
  const res = await fetch(endpoint(target, 'jwks'));
  expect(res.status).toBe(200);
  return (await res.json()) as JSONWebKeySet;
}

/** Verifies a JWT of the server against its published JWKS and returns the payload. */
export async function verifyJwt(s: TestServer, token: string, typ: 'JWT' | 'at+jwt', currentDate?: Date): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks(s)), { issuer: s.issuer, typ, ...(currentDate ? { currentDate } : {}) });
  return payload;
}

/** GET /api/v1/ssocookie with this npsso (no cookie for `null`): the status and the JSON body. */
export async function ssoCookie(target: Target, npsso: string | null): Promise<{ status: number; body: unknown }> {
  const res = await fetch(endpoint(target, 'ssoCookie'), { headers: npsso === null ? {} : { cookie: `npsso=${npsso}` } });
  return { status: res.status, body: await res.json() };
}
