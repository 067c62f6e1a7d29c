/**
 * The authorization_code grant: a code is good once, for 60 seconds, for the client it was
 * issued to, with the redirect URI and the PKCE verifier of its authorization request.
 */
import { describe, expect, it } from 'vitest';
import { aClient, REDIRECT } from '../test-support/clients.js';
import { frozenClock, SECOND } from '../test-support/clock.js';
import { introspect, userinfo } from '../test-support/endpoints.js';
import { authorize, codeFrom, pkcePair, refresh, tokenRequest } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('the authorization_code grant', () => {
  const clock = frozenClock(Date.UTC(2031, 5, 1, 12));
  const f = useServer({ now: clock.now }, async (s) => {
    const app = await aClient(s);
    const other = await aClient(s, { scope: 'openid' });
    const pub = await aClient(s, { public: true });
    const npsso = await (await aPerson(s)).signIn();
    return { npsso, app, other, pub };
  });

  async function code(params: Record<string, string> = {}): Promise<string> {
    const { location } = await authorize(f.s, f.npsso, { client_id: f.app.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email', access_type: 'offline', ...params });
    return codeFrom(location);
  }
  const exchange = (c: string, extra: Record<string, string> = {}) => tokenRequest(f.s, { grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, ...extra }, f.app.auth);

  it('refuses a reused code and revokes the access and refresh tokens of its first use', async () => {
    const { s, app } = f;
    const c = await code();
    const first = await exchange(c);
    expect(first.status).toBe(200);
    const access = first.body.access_token as string;
    expect((await userinfo(s, access)).status).toBe(200);
    expect(await introspect(s, app, access)).toMatchObject({ active: true });

    expect(await exchange(c)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const info = await userinfo(s, access);
    expect(info.status).toBe(401);
    expect(info.challenge).toMatch(/error="invalid_token"/);
    expect(await introspect(s, app, access)).toEqual({ active: false });
    expect(await introspect(s, app, first.body.refresh_token as string)).toEqual({ active: false });
    expect(await refresh(s, app, first.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses a code presented after its 60 seconds', async () => {
    const expired = await code();
    clock.advance(61 * SECOND);
    expect(await exchange(expired)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'the authorization code has expired' } });
    const fresh = await code();
    clock.advance(59 * SECOND);
    expect((await exchange(fresh)).status).toBe(200);
  });

  it('refuses a code issued to another client as an invalid one, and issues that client nothing', async () => {
    const { s, other, pub } = f;
    const res = await tokenRequest(s, { grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT }, other.auth);
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'the authorization code is invalid' } });
    // Even with the right PKCE verifier, to a confidential or a public client.
    const { verifier, challenge } = pkcePair();
    const stolen = await code({ code_challenge: challenge, code_challenge_method: 'S256' });
    for (const thief of [other, pub]) {
      const answer = await tokenRequest(s, { grant_type: 'authorization_code', code: stolen, redirect_uri: REDIRECT, code_verifier: verifier, ...thief.form }, thief.auth);
      expect({ thief: thief.id, status: answer.status, error: answer.body.error, token: answer.body.access_token }).toEqual({ thief: thief.id, status: 400, error: 'invalid_grant', token: undefined });
    }
  });

  it('refuses a code exchange without redirect_uri when the authorization request had one (RFC 6749 4.1.3)', async () => {
    const { s, app } = f;
    const res = await tokenRequest(s, { grant_type: 'authorization_code', code: await code() }, app.auth);
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(res.body.error_description).toMatch(/redirect_uri is required/);
  });

  it('lets the token request leave redirect_uri out when the authorization request did too', async () => {
    const { s, npsso, app } = f;
    const { location } = await authorize(s, npsso, { client_id: app.id, response_type: 'code', scope: 'openid' });
    expect(location?.startsWith(`${REDIRECT}?code=`)).toBe(true);
    const res = await tokenRequest(s, { grant_type: 'authorization_code', code: codeFrom(location) }, app.auth);
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('openid');
  });

  it('refuses a code with a different redirect_uri', async () => {
    const res = await exchange(await code(), { redirect_uri: `${REDIRECT}/` });
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'redirect_uri does not match the authorization request' } });
  });

  it('requires the verifier for a code issued with a challenge, and the right one', async () => {
    const { verifier, challenge } = pkcePair();
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
    expect(await exchange(await code(pkce))).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'code_verifier is required' } });
    expect(await exchange(await code(pkce), { code_verifier: pkcePair().verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'code_verifier does not match the code challenge' } });
    expect(await exchange(await code(pkce), { code_verifier: verifier })).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
  });

  it('refuses a verifier sent for a code issued without a challenge (PKCE downgrade)', async () => {
    const downgraded = await exchange(await code(), { code_verifier: pkcePair().verifier });
    expect(downgraded).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'code_verifier sent for a code issued without code_challenge' } });
    expect(await exchange(await code())).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
  });
});
