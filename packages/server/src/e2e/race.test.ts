/**
 * Racing requests on both backends: concurrent refreshes of one rotating token keep one
 * lineage, a stolen token racing the real one ends the family, and a code is exchanged once.
 */
import { describe, expect, it } from 'vitest';
import { aClient, REDIRECT } from '../test-support/clients.js';
import { frozenClock, SECOND } from '../test-support/clock.js';
import { testBackends } from '../test-support/databases.js';
import { introspect } from '../test-support/endpoints.js';
import { authorize, codeFrom, refresh, signInTokens, tokenRequest } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

const CONCURRENCY = 20;

describe.each(testBackends())('racing requests on %s', (backend) => {
  const clock = frozenClock();
  const f = useServer({ backend, now: clock.now }, async (s) => {
    const rotator = await aClient(s, { policy: 'rotate' });
    const pub = await aClient(s, { public: true });
    const npsso = await (await aPerson(s)).signIn();
    return { npsso, rotator, pub };
  });

  it(`never lets ${CONCURRENCY} concurrent refreshes of one rotating token diverge: one successor, and it refreshes afterwards`, async () => {
    const { s, npsso, rotator, pub } = f;
    for (const client of [rotator, pub, rotator]) {
      const start = await signInTokens(s, npsso, client);
      const answers = await Promise.all(Array.from({ length: CONCURRENCY }, () => refresh(s, client, start.refresh_token)));
      const statuses = answers.map((a) => a.status);
      expect(statuses).toEqual(Array(CONCURRENCY).fill(200));
      const successors = new Set(answers.map((a) => a.body.refresh_token));
      expect(successors.size).toBe(1);
      const [successor] = [...successors] as string[];
      expect(successor).not.toBe(start.refresh_token);
      // Every access token handed out belongs to the one live lineage.
      expect(new Set(answers.map((a) => a.body.access_token)).size).toBe(CONCURRENCY);
      expect(await introspect(s, client, answers[CONCURRENCY - 1]!.body.access_token as string)).toMatchObject({ active: true });
      const next = await refresh(s, client, successor!);
      expect(next.status).toBe(200);
      expect(next.body.refresh_token).not.toBe(successor);
      expect((await refresh(s, client, next.body.refresh_token as string)).status).toBe(200);
    }
  });

  it('revokes the whole family at once when a stolen token races the legitimate lineage: nothing issued in the race survives', async () => {
    const { s, npsso, rotator } = f;
    const start = await signInTokens(s, npsso, rotator);
    const second = await refresh(s, rotator, start.refresh_token);
    const successor = second.body.refresh_token as string;
    clock.advance(11 * SECOND);
    const answers = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) => refresh(s, rotator, i % 2 === 0 ? start.refresh_token : successor)),
    );
    // The stolen (spent, outside the window) token never succeeds.
    answers.filter((_, i) => i % 2 === 0).forEach((a) => expect(a).toMatchObject({ status: 400, body: { error: 'invalid_grant' } }));
    // Whatever the legitimate side got before the revocation landed is dead now.
    const issued = answers.filter((a) => a.status === 200);
    for (const a of issued) {
      expect(await refresh(s, rotator, a.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      expect(await introspect(s, rotator, a.body.access_token as string)).toEqual({ active: false });
    }
    expect(await refresh(s, rotator, successor)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await introspect(s, rotator, second.body.access_token as string)).toEqual({ active: false });
  });

  it(`exchanges a code once among ${CONCURRENCY} concurrent attempts, and the replays revoke what the one success got`, async () => {
    const { s, npsso, rotator } = f;
    const { location } = await authorize(s, npsso, { client_id: rotator.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', access_type: 'offline' });
    const code = codeFrom(location);
    const answers = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => tokenRequest(s, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, rotator.auth)),
    );
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    answers.filter((a) => a.status !== 200).forEach((a) => expect(a).toMatchObject({ status: 400, body: { error: 'invalid_grant' } }));
    expect(await introspect(s, rotator, won[0]!.body.access_token as string)).toEqual({ active: false });
    expect(await refresh(s, rotator, won[0]!.body.refresh_token as string)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
