/**
 * Token revocation (RFC 7009): a refresh token ends its whole family, an access token only
 * itself; any token, known or not, answers 200, but only its own client can revoke it; and
 * removing a client ends every token it held.
 */
import { describe, expect, it } from 'vitest';
import { removeClient } from '../domain/clients.js';
import { aClient, basic } from '../test-support/clients.js';
import { frozenClock } from '../test-support/clock.js';
import { introspect, postForm, revoke, userinfo, verifyJwt } from '../test-support/endpoints.js';
import { refresh, signInTokens, type TokenBody } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('revocation (RFC 7009)', () => {
  const clock = frozenClock();
  const f = useServer({ now: clock.now }, async (s) => ({
    app: await aClient(s),
    other: await aClient(s),
    pub: await aClient(s, { public: true }),
    npsso: await (await aPerson(s)).signIn(),
  }));

  /** A new grant of `app`: its first tokens, and the access token of one refresh. */
  async function refreshedOnce(): Promise<{ t: TokenBody; refreshedAccess: string }> {
    const t = await signInTokens(f.s, f.npsso, f.app);
    return { t, refreshedAccess: (await refresh(f.s, f.app, t.refresh_token)).body.access_token as string };
  }

  it('ends the whole family when a refresh token is revoked: refresh, its access tokens, userinfo', async () => {
    const { s, app } = f;
    const { t, refreshedAccess } = await refreshedOnce();
    const res = await revoke(s, app, t.refresh_token, { token_type_hint: 'refresh_token' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await refresh(s, app, t.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    for (const at of [t.access_token, refreshedAccess]) {
      expect(await introspect(s, app, at)).toEqual({ active: false });
      expect((await userinfo(s, at)).status).toBe(401);
    }
  });

  it('revokes a single access token by its jti and leaves the rest of the family alive', async () => {
    const { s, app } = f;
    const { t, refreshedAccess } = await refreshedOnce();
    const res = await revoke(s, app, t.access_token, { token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    expect(await introspect(s, app, t.access_token)).toEqual({ active: false });
    expect((await userinfo(s, t.access_token)).status).toBe(401);
    const jti = (await verifyJwt(s, t.access_token, 'at+jwt', clock.date())).jti!;
    expect(await s.kt.repo.isAccessTokenRevoked(jti)).toBe(true);
    expect(await introspect(s, app, refreshedAccess)).toMatchObject({ active: true });
    expect((await refresh(s, app, t.refresh_token)).status).toBe(200);
  });

  it('answers 200 for unknown and invalid tokens, and ignores unsupported hints', async () => {
    const { s, app, npsso } = f;
    for (const [token, hint] of [['no-such-token', 'refresh_token'], ['a.b.c', 'access_token'], ['x'.repeat(9000), undefined], ['whatever', 'id_token']] as const) {
      const res = await revoke(s, app, token, hint ? { token_type_hint: hint } : {});
      expect(res.status).toBe(200);
    }
    const t = await signInTokens(s, npsso, app);
    // A wrong or unknown hint does not stop the revocation.
    expect((await revoke(s, app, t.refresh_token, { token_type_hint: 'access_token' })).status).toBe(200);
    expect(await introspect(s, app, t.refresh_token)).toEqual({ active: false });
    const u = await signInTokens(s, npsso, app);
    expect((await revoke(s, app, u.access_token, { token_type_hint: 'something_else' })).status).toBe(200);
    expect(await introspect(s, app, u.access_token)).toEqual({ active: false });
  });

  it("answers 200 for another client's tokens without revoking them", async () => {
    const { s, app, other, pub, npsso } = f;
    const t = await signInTokens(s, npsso, app);
    expect((await revoke(s, other, t.refresh_token)).status).toBe(200);
    expect((await revoke(s, other, t.access_token)).status).toBe(200);
    expect((await revoke(s, pub, t.refresh_token)).status).toBe(200);
    expect(await introspect(s, app, t.refresh_token)).toMatchObject({ active: true });
    expect(await introspect(s, app, t.access_token)).toMatchObject({ active: true });
    expect((await refresh(s, app, t.refresh_token)).status).toBe(200);
  });

  it('lets a public client revoke its own tokens with only client_id', async () => {
    const { s, pub, npsso } = f;
    const t = await signInTokens(s, npsso, pub);
    expect((await revoke(s, pub, t.refresh_token)).status).toBe(200);
    expect(await refresh(s, pub, t.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('requires client authentication (401 invalid_client) and a token (400 invalid_request)', async () => {
    const { s, app, npsso } = f;
    const t = await signInTokens(s, npsso, app);
    const anonymous = await postForm(s, 'revoke', { token: t.refresh_token });
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text)).toMatchObject({ error: 'invalid_client' });
    const wrong = await postForm(s, 'revoke', { token: t.refresh_token }, basic(app.id, 'wrong-secret-wrong-secret'));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await introspect(s, app, t.refresh_token)).toMatchObject({ active: true });
    const missing = await postForm(s, 'revoke', {}, app.auth);
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text)).toMatchObject({ error: 'invalid_request' });
  });

  it('kills the tokens of a removed client, even when someone registers its id again', async () => {
    const { s, npsso } = f;
    const doomed = await aClient(s);
    const tokens = await signInTokens(s, npsso, doomed);
    await removeClient(s.kt, doomed.id); // what `keyturn client remove` does
    const squatter = await aClient(s, { id: doomed.id });
    expect((await refresh(s, squatter, tokens.refresh_token)).body.error).toBe('invalid_grant');
    expect(await introspect(s, squatter, tokens.access_token)).toEqual({ active: false });
    expect((await userinfo(s, tokens.access_token)).status).toBe(401);
  });
});
