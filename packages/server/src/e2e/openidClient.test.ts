/**
 * The certified relying party openid-client, unchanged, against Keyturn: discovery, the code
 * flow with PKCE and ID token validation, and every lifecycle endpoint, rotation included.
 */
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { aClient, REDIRECT, type TestClient } from '../test-support/clients.js';
import { frozenClock, SECOND } from '../test-support/clock.js';
import { PATHS } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

const SCOPE = 'openid profile email offline_access';

describe('the certified relying party openid-client against Keyturn', () => {
  const clock = frozenClock();
  const f = useServer({ now: clock.now }, async (s) => {
    const ada = await aPerson(s, { name: 'Ada Lovelace' });
    const userId = ada.id;
    const rp = await aClient(s);
    const spa = await aClient(s, { public: true });
    const npsso = await ada.signIn();
    return { ada, userId, npsso, rp, spa };
  });

  const discover = ({ id, secret }: TestClient) =>
    oidc.discovery(new URL(f.s.url), id, secret ?? { token_endpoint_auth_method: 'none' }, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });

  /** The browser's part: the authorize request with the npsso cookie, answered by a 302 to the callback. */
  async function codeFlow(config: oidc.Configuration) {
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: SCOPE, nonce, state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: `npsso=${f.npsso}` } });
    expect(res.status).toBe(302);
    const callback = new URL(res.headers.get('location')!);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true });
    return { tokens, nonce };
  }

  it('discovers the server, completes the code flow with PKCE and ID token validation, and uses every lifecycle endpoint', async () => {
    const { s, ada, userId, rp } = f;
    const config = await discover(rp);
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(s.issuer);
    expect(meta.revocation_endpoint).toBe(`${s.issuer}${PATHS.revoke}`);

    const { tokens, nonce } = await codeFlow(config);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ sub: userId, aud: rp.id, iss: s.issuer, nonce, email: ada.email, name: 'Ada Lovelace' });
    expect(tokens.scope).toBe(SCOPE);

    expect(await oidc.fetchUserInfo(config, tokens.access_token, userId)).toEqual({ sub: userId, email: ada.email, email_verified: false, name: 'Ada Lovelace' });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.claims()).toMatchObject({ sub: userId, aud: rp.id, auth_time: claims.auth_time });
    expect(refreshed.claims()!.nonce).toBeUndefined();

    expect(await oidc.tokenIntrospection(config, refreshed.access_token)).toMatchObject({ active: true, sub: userId, client_id: rp.id, scope: SCOPE, token_type: 'Bearer' });
    expect(await oidc.tokenIntrospection(config, tokens.refresh_token!)).toMatchObject({ active: true, sub: userId, client_id: rp.id });

    await oidc.tokenRevocation(config, tokens.refresh_token!);
    expect(await oidc.tokenIntrospection(config, refreshed.access_token)).toEqual({ active: false });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
    await expect(oidc.fetchUserInfo(config, refreshed.access_token, userId)).rejects.toMatchObject({ status: 401 });
  });

  it('shows rotation to a public client: the retry window returns the same successor, a late reuse revokes the family', async () => {
    const { userId, spa } = f;
    const config = await discover(spa);
    const { tokens } = await codeFlow(config);
    const first = tokens.refresh_token!;

    const rotated = await oidc.refreshTokenGrant(config, first);
    expect(rotated.refresh_token).toBeTypeOf('string');
    expect(rotated.refresh_token).not.toBe(first);
    expect(rotated.claims()!.sub).toBe(userId);

    // A client that lost the answer retries at once: same successor, fresh access token.
    const retried = await oidc.refreshTokenGrant(config, first);
    expect(retried.refresh_token).toBe(rotated.refresh_token);
    expect(retried.access_token).not.toBe(rotated.access_token);

    clock.advance(11 * SECOND);
    await expect(oidc.refreshTokenGrant(config, first)).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
    // The family is gone: the successor and the access tokens stopped working too.
    await expect(oidc.refreshTokenGrant(config, rotated.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await oidc.tokenIntrospection(config, retried.access_token)).toEqual({ active: false });
  });
});
