/**
 * Which grants a client may use (`keyturn client add --grant-types`): the token and
 * authorization endpoints refuse any other with `unauthorized_client`, the long-standing
 * grants included, and a client without the refresh_token grant gets no refresh token.
 */
import { describe, expect, it } from 'vitest';
import { aClient } from '../test-support/clients.js';
import { authorize, codeFrom, pkcePair, refresh, signInTokens, tokenRequest } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

const UNAUTHORIZED = { status: 400, body: { error: 'unauthorized_client' } };

describe('the grant types a client was registered for', () => {
  const f = useServer({}, async (s) => {
    const npsso = await (await aPerson(s)).signIn();
    return {
      npsso,
      tv: await aClient(s, { grantTypes: ['device_code', 'refresh_token'] }),
      web: await aClient(s),
      noRefresh: await aClient(s, { grantTypes: ['authorization_code'] }),
    };
  });

  it('refuses authorization_code and refresh_token at the token endpoint to a client registered without them', async () => {
    const { s, tv, noRefresh, web } = f;
    expect(await tokenRequest(s, { grant_type: 'authorization_code', code: 'v3.anything', redirect_uri: tv.redirectUri }, tv.auth)).toMatchObject({
      status: 400,
      body: { error: 'unauthorized_client', error_description: 'this client may not use the authorization_code grant (keyturn client add --grant-types)' },
    });
    // The check comes before the token is even looked at: a real refresh token of another client changes nothing.
    const tokens = await signInTokens(s, f.npsso, web);
    expect(await refresh(s, noRefresh, tokens.refresh_token)).toMatchObject(UNAUTHORIZED);
  });

  it('sends unauthorized_client back to the redirect URI of a client that may not use the code flow', async () => {
    const { s, tv } = f;
    const { status, location } = await authorize(s, f.npsso, { client_id: tv.id, redirect_uri: tv.redirectUri, response_type: 'code', scope: 'openid', state: 's1' });
    expect(status).toBe(302);
    const query = new URLSearchParams(location!.split('?')[1]);
    expect(query.get('error')).toBe('unauthorized_client');
    expect(query.get('state')).toBe('s1');
    expect(query.get('code')).toBeNull();
  });

  it('issues no refresh token to a client without the refresh_token grant, even for offline access', async () => {
    const { s, noRefresh } = f;
    const { verifier, challenge } = pkcePair();
    const { location } = await authorize(s, f.npsso, {
      client_id: noRefresh.id, redirect_uri: noRefresh.redirectUri, response_type: 'code', scope: 'openid offline_access', access_type: 'offline',
      code_challenge: challenge, code_challenge_method: 'S256',
    });
    const res = await tokenRequest(s, { grant_type: 'authorization_code', code: codeFrom(location), redirect_uri: noRefresh.redirectUri, code_verifier: verifier }, noRefresh.auth);
    expect(res.status).toBe(200);
    expect(res.body.access_token).toEqual(expect.any(String));
    expect(res.body.refresh_token).toBeUndefined();
  });
});
