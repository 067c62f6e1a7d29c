/**
 * Regression (issue 9, finding 8): the server restarts after spending a rotating refresh token
 * and before the client got the answer, and the outage outlasts the retry window. The client's
 * retry with the old token, once the server is back, gets the same new token; reuse after the
 * new token was used is still theft and ends the family. The clock is frozen; SQLite on disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aClient, type TestClient } from '../test-support/clients.js';
import { frozenClock, MINUTE, SECOND } from '../test-support/clock.js';
import { refresh, refreshOutcome, signInTokens } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { withServer, type TestServer } from '../test-support/server.js';

describe('a rotation retry across a server restart', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyturn-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const clock = frozenClock();

  /** Signs in on `s`, gets tokens and refreshes once; the answer to that refresh is "lost" and only returned for checking. */
  async function spendAndLose(s: TestServer, app: TestClient): Promise<{ spent: string; lost: string }> {
    const npsso = await (await aPerson(s)).signIn();
    const { refresh_token: spent } = await signInTokens(s, npsso, app);
    const answer = await refresh(s, app, spent);
    expect(answer.status).toBe(200);
    return { spent, lost: answer.body.refresh_token as string };
  }

  it('gives the old token the new one again after a five-minute outage, and reuse after it was used ends the family', async () => {
    const { app, honest, thief, used } = await withServer({ dataDir, now: clock.now }, async (before) => {
      const app = await aClient(before, { policy: 'rotate' });
      const honest = await spendAndLose(before, app);
      const thief = await spendAndLose(before, app);
      // The successor of `thief.spent` is used before the outage: its owner got the answer.
      const used = await refresh(before, app, thief.lost);
      expect(used.status).toBe(200);
      return { app, honest, thief, used: used.body.refresh_token as string };
    });

    clock.advance(5 * MINUTE);
    await withServer({ dataDir, now: clock.now }, async (after) => {
      clock.advance(30 * SECOND);
      expect(await refresh(after, app, honest.spent)).toMatchObject({ status: 200, body: { refresh_token: honest.lost } });
      expect(await refreshOutcome(after, app, honest.lost)).toEqual({ status: 200, error: undefined });

      expect(await refreshOutcome(after, app, thief.spent)).toEqual({ status: 400, error: 'invalid_grant' });
      expect(await refreshOutcome(after, app, used)).toEqual({ status: 400, error: 'invalid_grant' });
    });
  });
});
