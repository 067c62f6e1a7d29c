/** Helpers shared by the end-to-end tests: the authorize step and the token request, done with plain fetch. */
import { createHash, randomBytes } from 'node:crypto';

export const PSN = {
  clientId: '09515159-7237-4370-9b40-3806e67c0891',
  clientSecret: 'ucPjka5tntB2KqsP',
  redirectUri: 'com.scee.psxandroid.scecompcall://redirect',
  scope: 'psn:mobile.v2.core psn:clientapp',
};

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** GET /authorize with the npsso cookie; returns the Location header and status. */
export async function authorize(url: string, npsso: string | null, params: Record<string, string>): Promise<{ status: number; location: string | null }> {
  const res = await fetch(`${url}/api/authz/v3/oauth/authorize?${new URLSearchParams(params).toString()}`, {
    redirect: 'manual',
    headers: npsso ? { cookie: `npsso=${npsso}` } : {},
  });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') };
}

export function codeFrom(location: string | null): string {
  const code = location ? new URLSearchParams(location.split('?')[1] ?? '').get('code') : null;
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** POST /token with a form body; returns status and parsed JSON. */
export async function tokenRequest(url: string, form: Record<string, string>, authorization?: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${url}/api/authz/v3/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}
