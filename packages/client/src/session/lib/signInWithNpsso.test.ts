import { describe, expect, it } from 'vitest';
import { keyturnServer } from '../../exchange/keyturnServer.js';
import { codeChallengeS256 } from '../../lib/pkce.js';
import { fakeFetch, signInAnswers } from '../../test-support/fakeFetch.js';
import { signInWithNpsso } from './signInWithNpsso.js';

const NPSSO = 'e'.repeat(64);
const answer = signInAnswers('com.example.bot://redirect/?code=v3.c');

describe('signInWithNpsso', () => {
  it('gives a public client a fresh PKCE pair: the challenge to /authorize, its verifier to /token', async () => {
    const f = fakeFetch(answer);
    await signInWithNpsso(NPSSO, { ...keyturnServer('http://127.0.0.1:8080', { clientId: 'public-bot' }), fetch: f });
    const [authorize, token] = f.requests;
    const verifier = token!.body.get('code_verifier');
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize!.url.searchParams.get('code_challenge')).toBe(codeChallengeS256(verifier!));
    expect(authorize!.url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('keeps a PKCE verifier given by the caller', async () => {
    const f = fakeFetch(answer);
    const codeVerifier = 'v'.repeat(43);
    await signInWithNpsso(NPSSO, { ...keyturnServer('http://127.0.0.1:8080', { clientId: 'public-bot' }), codeVerifier, fetch: f });
    expect(f.requests[1]!.body.get('code_verifier')).toBe(codeVerifier);
  });

  it('sends no PKCE for a confidential client, as psn-api does on PlayStation', async () => {
    const f = fakeFetch(answer);
    await signInWithNpsso(NPSSO, { fetch: f });
    expect(f.requests[0]!.url.searchParams.has('code_challenge')).toBe(false);
    expect(f.requests[1]!.body.has('code_verifier')).toBe(false);
  });

  it('answers tokens bound to the server and client that issued them', async () => {
    const stored = await signInWithNpsso(NPSSO, { ...keyturnServer('http://127.0.0.1:8080', { clientId: 'bot', clientSecret: 's' }), fetch: fakeFetch(answer), now: () => 0 });
    expect(stored).toMatchObject({
      accessToken: 'at-1',
      obtainedAt: '1970-01-01T00:00:00.000Z',
      tokenEndpoint: 'http://127.0.0.1:8080/api/authz/v3/oauth/token',
      clientId: 'bot',
    });
  });
});
