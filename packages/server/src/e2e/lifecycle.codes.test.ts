import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { authorize, codeFrom, pkcePair, tokenRequest } from './lib.js';
import { PASSWORD, REDIRECT, introspect, refresh, registerClient, userinfo, type TestClient } from './test-support/lifecycle.js';

describe('authorization codes: replay and PKCE', () => {
  let s: TestServer;
  let npsso: string;
  let app: TestClient;

  beforeAll(async () => {
    s = await startTestServer();
    await s.addUser('ada@example.com', PASSWORD);
    app = await registerClient(s, 'app');
    npsso = await s.signIn('ada@example.com', PASSWORD);
  });
  afterAll(() => s.close());

  async function code(params: Record<string, string> = {}): Promise<string> {
    const { location } = await authorize(s.url, npsso, { client_id: 'app', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email', access_type: 'offline', ...params });
    return codeFrom(location);
  }
  const exchange = (c: string, extra: Record<string, string> = {}) => tokenRequest(s.url, { grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, ...extra }, app.auth);

  it('refuses a reused code and revokes the access and refresh tokens of its first use', async () => {
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

  it('requires the verifier for a code issued with a challenge, and the right one', async () => {
    const { verifier, challenge } = pkcePair();
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
    expect(await exchange(await code(pkce))).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'code_verifier is required' } });
    expect(await exchange(await code(pkce), { code_verifier: pkcePair().verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await exchange(await code(pkce), { code_verifier: verifier })).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
  });

  it('refuses a verifier sent for a code issued without a challenge (PKCE downgrade)', async () => {
    const downgraded = await exchange(await code(), { code_verifier: pkcePair().verifier });
    expect(downgraded).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'code_verifier sent for a code issued without code_challenge' } });
    expect(await exchange(await code())).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
  });
});
