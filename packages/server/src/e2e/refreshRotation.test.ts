/**
 * Refresh token rotation (the `rotate` policy, forced on public clients): each refresh spends
 * the token for a successor; a retry inside the window gets the same successor; a spent token
 * presented later is theft and ends the whole family; the family keeps its absolute end.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aClient } from '../test-support/clients.js';
import { frozenClock, SECOND } from '../test-support/clock.js';
import { introspect, verifyJwt } from '../test-support/endpoints.js';
import { refresh, signInTokens } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

const sha256 = (v: string) => createHash('sha256').update(v, 'utf8').digest('hex');

describe('refresh token rotation', () => {
  const clock = frozenClock();
  const f = useServer({ now: clock.now }, async (s) => {
    const rotator = await aClient(s, { policy: 'rotate' });
    const publicApp = await aClient(s, { public: true });
    const npsso = await (await aPerson(s)).signIn();
    return { npsso, rotator, publicApp };
  });

  it('forces rotate on public clients: every refresh returns a new token and spends the old one', async () => {
    const { s, npsso, publicApp } = f;
    expect((await s.kt.repo.getClient(publicApp.id))!.refreshPolicy).toBe('rotate');
    const first = await signInTokens(s, npsso, publicApp);
    const second = await refresh(s, publicApp, first.refresh_token);
    expect(second.status).toBe(200);
    expect(typeof second.body.refresh_token).toBe('string');
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(await introspect(s, publicApp, first.refresh_token)).toEqual({ active: false });
    expect(await introspect(s, publicApp, second.body.refresh_token as string)).toMatchObject({ active: true, client_id: publicApp.id });
    const third = await refresh(s, publicApp, second.body.refresh_token as string);
    expect(third.status).toBe(200);
    expect(new Set([first.refresh_token, second.body.refresh_token, third.body.refresh_token]).size).toBe(3);
  });

  it('answers a retry of the just-spent token inside the window with the same successor and a fresh access token', async () => {
    const { s, npsso, rotator } = f;
    const first = await signInTokens(s, npsso, rotator);
    const second = await refresh(s, rotator, first.refresh_token);
    clock.advance(9 * SECOND);
    const retry = await refresh(s, rotator, first.refresh_token);
    expect(retry.status).toBe(200);
    expect(retry.body.refresh_token).toBe(second.body.refresh_token);
    expect(retry.body.access_token).not.toBe(second.body.access_token);
    expect((await verifyJwt(s, retry.body.access_token as string, 'at+jwt', clock.date())).iat).toBe(Math.floor(clock.now() / 1000));
    // The successor still works: the retry did not count as theft.
    const third = await refresh(s, rotator, second.body.refresh_token as string);
    expect(third.status).toBe(200);
  });

  it('treats a spent token presented after the retry window as theft and revokes the whole family, successor included', async () => {
    const { s, npsso, rotator } = f;
    const first = await signInTokens(s, npsso, rotator);
    const second = await refresh(s, rotator, first.refresh_token);
    clock.advance(10 * SECOND + 1);
    const late = await refresh(s, rotator, first.refresh_token);
    expect(late).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await refresh(s, rotator, second.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await introspect(s, rotator, second.body.access_token as string)).toEqual({ active: false });
    expect(await introspect(s, rotator, first.access_token)).toEqual({ active: false });
    const record = await s.kt.repo.findRefreshToken(sha256(first.refresh_token));
    expect((await s.kt.repo.getGrant(record!.grantId))!.revokedReason).toBe('refresh_token_reuse');
  });

  it('treats a spent token presented after its successor was used as theft, even inside the window', async () => {
    const { s, npsso, rotator } = f;
    const first = await signInTokens(s, npsso, rotator);
    const second = await refresh(s, rotator, first.refresh_token);
    const third = await refresh(s, rotator, second.body.refresh_token as string);
    expect(third.status).toBe(200);
    clock.advance(SECOND);
    expect(await refresh(s, rotator, first.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await refresh(s, rotator, third.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await refresh(s, rotator, second.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('keeps the absolute lifetime across rotations: refresh_token_expires_in counts down and the family ends on time', async () => {
    const { s, npsso } = f;
    const short = await aClient(s, { policy: 'rotate', refreshTtlSec: 1000 });
    const first = await signInTokens(s, npsso, short);
    expect(first.refresh_token_expires_in).toBe(1000);
    const end = (await s.kt.repo.findRefreshToken(sha256(first.refresh_token)))!.expiresAt;
    expect(end).toBe(clock.now() + 1_000_000);
    let token = first.refresh_token;
    for (const expected of [700, 400, 100]) {
      clock.advance(300_000);
      const next = await refresh(s, short, token);
      expect(next.status).toBe(200);
      expect(next.body.refresh_token).not.toBe(token);
      expect(next.body.refresh_token_expires_in).toBe(expected);
      token = next.body.refresh_token as string;
      // Each successor inherits the family's end, never a fresh lifetime.
      expect((await s.kt.repo.findRefreshToken(sha256(token)))!.expiresAt).toBe(end);
    }
    clock.advance(100_000);
    expect(await refresh(s, short, token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

describe('the retry window is configurable', () => {
  const clock = frozenClock();
  const f = useServer({ now: clock.now, env: { KEYTURN_ROTATION_RETRY_WINDOW: '2' } }, async (s) => {
    const client = await aClient(s, { public: true });
    const npsso = await (await aPerson(s)).signIn();
    return { client, npsso };
  });

  it('reads KEYTURN_ROTATION_RETRY_WINDOW into config.rotationRetryWindowSec', () => {
    expect(f.s.kt.config.rotationRetryWindowSec).toBe(2);
  });

  it('answers a retry 2 s later with the successor and one 3 s later with theft', async () => {
    const { s, client, npsso } = f;
    const a = await signInTokens(s, npsso, client);
    const a2 = await refresh(s, client, a.refresh_token);
    clock.advance(2 * SECOND);
    expect(await refresh(s, client, a.refresh_token)).toMatchObject({ status: 200, body: { refresh_token: a2.body.refresh_token } });

    const b = await signInTokens(s, npsso, client);
    const b2 = await refresh(s, client, b.refresh_token);
    clock.advance(3 * SECOND);
    expect(await refresh(s, client, b.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await refresh(s, client, b2.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
