/**
 * Regression (issue 9, finding 7): right client secrets arriving together are never refused as
 * guessing. Right after a restart no secret is verified yet; concurrent requests with the same
 * right secret share one argon2 check, and only failures count towards the lock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aClient } from '../test-support/clients.js';
import { FORM, raw } from '../test-support/http.js';
import { signInTokens } from '../test-support/oauth.js';
import { endpoint } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { withServer } from '../test-support/server.js';

const BURST = 50;

describe('a burst of right client secrets', () => {
  it('answers 200 to 50 concurrent refreshes with the right secret from one address right after a restart (regression: 30 of 50 got 429)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'keyturn-burst-'));
    try {
      const { app, refreshToken } = await withServer({ dataDir }, async (s) => {
        const [app, ada] = await Promise.all([aClient(s), aPerson(s)]);
        return { app, refreshToken: (await signInTokens(s, await ada.signIn(), app)).refresh_token };
      });
      // The restart: a new process state on the same database, no secret verified yet, the default limits.
      const answers = await withServer({ dataDir }, async (s) => {
        expect(s.kt.verifiedSecrets.has(app.id, (await s.kt.repo.getClient(app.id))!.secretHash!, app.secret!)).toBe(false);
        const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString();
        return Promise.all(Array.from({ length: BURST }, () => raw(endpoint(s, 'token'), { method: 'POST', from: '127.0.31.1', headers: { ...FORM, authorization: app.auth! }, body })));
      });
      expect(answers.map((a) => a.status)).toEqual(Array<number>(BURST).fill(200));
      expect(new Set(answers.map((a) => JSON.parse(a.body).refresh_token))).toEqual(new Set([refreshToken]));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
