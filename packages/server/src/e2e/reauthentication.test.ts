/**
 * Regression (issue 9, finding 5): `max_age` and `prompt=login` (OpenID Connect Core 3.1.2.1)
 * send a person whose sign-in is too old, or who is asked to, through a NEW sign-in and back to
 * the same request (`prompt=none`: login_required to the client), and the ID token carries the
 * `auth_time` of the sign-in that answered. The clock is frozen.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { Browser } from '../test-support/browser.js';
import { aClient, REDIRECT } from '../test-support/clients.js';
import { frozenClock, MINUTE, SECOND } from '../test-support/clock.js';
import { codeFrom, pkcePair, refresh, tokenRequest } from '../test-support/oauth.js';
import { PATHS } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('max_age and prompt=login', () => {
  const clock = frozenClock(Date.UTC(2030, 0, 1));
  const f = useServer({ now: clock.now, config: { gcIntervalSec: 0 } }, async (s) => ({ app: await aClient(s) }));
  const pkce = pkcePair();
  const request = (extra: Record<string, string>) =>
    `${PATHS.authorize}?${new URLSearchParams({
      client_id: f.app.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', access_type: 'offline', state: 'st-1',
      code_challenge: pkce.challenge, code_challenge_method: 'S256', ...extra,
    }).toString()}`;

  /** A new person signed in on a new browser, now. */
  async function signedIn(): Promise<{ b: Browser; who: { email: string; password: string } }> {
    const who = await aPerson(f.s);
    return { b: await Browser.signedIn(f.s, who), who };
  }

  /** Exchanges the code of a redirect to the client; returns the token answer's body. */
  async function tokensFrom(location: string | undefined): Promise<{ id_token: string; refresh_token: string }> {
    const res = await tokenRequest(f.s, { grant_type: 'authorization_code', code: codeFrom(location ?? null), redirect_uri: REDIRECT, code_verifier: pkce.verifier }, f.app.auth);
    expect(res.status).toBe(200);
    return res.body as { id_token: string; refresh_token: string };
  }

  /** Where the sign-in page would bring the browser back to. */
  function returnTo(location: string | undefined): string {
    const to = new URL(location ?? '', f.s.url);
    expect(to.pathname).toBe(PATHS.signin);
    return to.searchParams.get('return_to') ?? '';
  }

  it('sends a person who signed in longer ago than max_age to sign in again, back to the same request, and the ID token says when', async () => {
    const { b, who } = await signedIn();
    const firstSignIn = clock.now();
    clock.advance(2 * SECOND);
    expect((await b.get(request({ max_age: '2' }))).headers.location).toMatch(/^http:\/\/127\.0\.0\.1:9\/callback\?code=/);
    const stale = await b.get(request({ max_age: '1' }));
    expect(stale.status).toBe(302);
    const back = returnTo(stale.headers.location);
    expect(back).toBe(request({ max_age: '1' }));

    clock.advance(MINUTE);
    const again = await b.signIn(who.email, who.password, { return_to: back });
    expect(again).toMatchObject({ status: 303, headers: { location: back } });
    const answered = await b.get(back);
    const { id_token } = await tokensFrom(answered.headers.location);
    expect(decodeJwt(id_token).auth_time).toBe(clock.now() / 1000);
    expect(decodeJwt(id_token).auth_time).not.toBe(firstSignIn / 1000);
  });

  it('answers login_required to the client for prompt=none when the sign-in is older than max_age', async () => {
    const { b } = await signedIn();
    clock.advance(10 * SECOND);
    const res = await b.get(request({ max_age: '5', prompt: 'none' }));
    expect(res.status).toBe(302);
    const to = new URL(res.headers.location ?? '');
    expect(`${to.origin}${to.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({ error: 'login_required', state: 'st-1' });
    expect(to.searchParams.get('code')).toBeNull();
  });

  it('puts the auth_time of the sign-in in the ID token when max_age was asked, and keeps it on refresh', async () => {
    const { b } = await signedIn();
    const signInTime = clock.now() / 1000;
    clock.advance(30 * SECOND);
    const tokens = await tokensFrom((await b.get(request({ max_age: '3600' }))).headers.location);
    expect(decodeJwt(tokens.id_token).auth_time).toBe(signInTime);
    clock.advance(10 * MINUTE);
    const renewed = await refresh(f.s, f.app, tokens.refresh_token);
    expect(decodeJwt(renewed.body.id_token as string).auth_time).toBe(signInTime);
  });

  it('makes prompt=login sign in anew even with a live cookie, and the code that follows carries the new sign-in', async () => {
    const { b, who } = await signedIn();
    const oldSignIn = clock.now() / 1000;
    clock.advance(5 * MINUTE);
    const asked = await b.get(request({ prompt: 'login' }));
    expect(asked.status).toBe(302);
    const back = returnTo(asked.headers.location);
    expect(back).toBe(request({}));
    const again = await b.signIn(who.email, who.password, { return_to: back });
    expect(again.status).toBe(303);
    const { id_token } = await tokensFrom((await b.get(back)).headers.location);
    expect(decodeJwt(id_token).auth_time).toBe(oldSignIn + 300);
  });

  it('takes max_age=0 as prompt=login, and comes back without it so that the new sign-in answers', async () => {
    const { b, who } = await signedIn();
    clock.advance(SECOND);
    const asked = await b.get(request({ max_age: '0' }));
    const back = returnTo(asked.headers.location);
    expect(back).toBe(request({}));
    await b.signIn(who.email, who.password, { return_to: back });
    clock.advance(SECOND);
    expect((await b.get(back)).headers.location).toMatch(/^http:\/\/127\.0\.0\.1:9\/callback\?code=/);
  });

  it('answers invalid_request to the client for a malformed max_age and for prompt=none with another value', async () => {
    const { b } = await signedIn();
    for (const [extra, description] of [
      [{ max_age: 'soon' }, 'max_age must be a whole number of seconds'],
      [{ max_age: '-5' }, 'max_age must be a whole number of seconds'],
      [{ prompt: 'none login' }, 'prompt=none cannot be combined with another prompt value'],
    ] as const) {
      const to = new URL((await b.get(request(extra))).headers.location ?? '');
      expect(Object.fromEntries(to.searchParams)).toMatchObject({ error: 'invalid_request', error_description: description, state: 'st-1' });
    }
  });
});
