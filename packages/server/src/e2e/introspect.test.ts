/** Token introspection (RFC 7662): what it says about live tokens, and that it says only active:false about any other. */
import { describe, expect, it } from 'vitest';
import { aClient, basic } from '../test-support/clients.js';
import { frozenClock, HOUR } from '../test-support/clock.js';
import { introspect, postForm, revoke, verifyJwt } from '../test-support/endpoints.js';
import { signInTokens } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('introspection (RFC 7662)', () => {
  const clock = frozenClock();
  const f = useServer({ now: clock.now }, async (s) => {
    const ada = await aPerson(s, { name: 'Ada Lovelace' });
    const app = await aClient(s);
    const other = await aClient(s);
    const npsso = await ada.signIn();
    return { ada, npsso, app, other };
  });

  it('describes a live access token with its claims', async () => {
    const { s, ada, npsso, app } = f;
    const t = await signInTokens(s, npsso, app);
    const claims = await verifyJwt(s, t.access_token, 'at+jwt', clock.date());
    expect(await introspect(s, app, t.access_token)).toEqual({
      active: true,
      scope: 'openid profile email',
      client_id: app.id,
      sub: ada.id,
      exp: claims.exp,
      iat: claims.iat,
      iss: s.issuer,
      token_type: 'Bearer',
      jti: claims.jti,
      aud: app.id,
      auth_time: claims.auth_time,
    });
  });

  it('describes a live refresh token until its grant ends', async () => {
    const { s, ada, npsso, app } = f;
    const t = await signInTokens(s, npsso, app);
    const answer = await introspect(s, app, t.refresh_token, { token_type_hint: 'refresh_token' });
    expect(answer).toMatchObject({ active: true, scope: 'openid profile email', client_id: app.id, sub: ada.id, iss: s.issuer });
    expect(answer.exp).toBe(Math.floor(clock.now() / 1000) + 60 * 86_400);
    expect(answer.iat).toBe(Math.floor(clock.now() / 1000));
    await revoke(s, app, t.refresh_token);
    expect(await introspect(s, app, t.refresh_token)).toEqual({ active: false });
  });

  it('says only active:false for unknown, malformed, expired and foreign tokens', async () => {
    const { s, npsso, app, other } = f;
    const t = await signInTokens(s, npsso, app);
    expect(await introspect(s, app, 'no-such-token')).toEqual({ active: false });
    expect(await introspect(s, app, 'a.b.c')).toEqual({ active: false });
    expect(await introspect(s, app, 'x'.repeat(10_000))).toEqual({ active: false });
    expect(await introspect(s, other, t.access_token)).toEqual({ active: false });
    expect(await introspect(s, other, t.refresh_token)).toEqual({ active: false });
    clock.advance(HOUR);
    expect(await introspect(s, app, t.access_token)).toEqual({ active: false });
    expect(await introspect(s, app, t.refresh_token)).toMatchObject({ active: true });
  });

  it('refuses callers that do not authenticate as a client with 401 invalid_client', async () => {
    const { s, npsso, app } = f;
    const t = await signInTokens(s, npsso, app);
    for (const [form, auth] of [
      [{ token: t.access_token }, undefined],
      [{ token: t.access_token }, basic(app.id, 'wrong-secret-wrong-secret')],
      [{ token: t.access_token, client_id: app.id }, undefined],
      [{ token: t.access_token, client_id: 'nobody' }, undefined],
    ] as const) {
      const res = await postForm(s, 'introspect', form, auth);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text)).toMatchObject({ error: 'invalid_client' });
    }
    const ok = await postForm(s, 'introspect', { token: t.access_token, client_id: app.id, client_secret: app.secret! });
    expect(JSON.parse(ok.text)).toMatchObject({ active: true, client_id: app.id });
  });

  it('answers 400 invalid_request without a token', async () => {
    const { s, app } = f;
    const res = await postForm(s, 'introspect', {}, app.auth);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ error: 'invalid_request' });
  });
});
