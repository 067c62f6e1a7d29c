/**
 * The audit trail against the real server, on SQLite and PostgreSQL: a scripted flow leaves
 * exactly its security events, in order, with whose they were, which client, who did it and
 * from where, and never a secret.
 */
import { describe, expect, it } from 'vitest';
import { disablePerson } from '../domain/people/disablePerson.js';
import { rotateSigningKey } from '../domain/rotateSigningKey.js';
import { auditEvents } from '../test-support/audit.js';
import { Browser } from '../test-support/browser.js';
import { aClient } from '../test-support/clients.js';
import { testBackends } from '../test-support/databases.js';
import { revoke } from '../test-support/endpoints.js';
import { refresh, signInTokens } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { withServer } from '../test-support/server.js';

describe.each(testBackends())('the audit trail (%s)', (backend) => {
  it('holds exactly the events of a scripted flow, in order, and no secret', async () => {
    await withServer({ backend, config: { gcIntervalSec: 0 } }, async (s) => {
      const app = await aClient(s, { policy: 'rotate' });
      const ada = await aPerson(s);
      const browser = new Browser(s);
      expect((await browser.signIn(ada.email, 'not the password')).status).toBe(401);
      expect((await browser.signIn(ada.email, ada.password)).status).toBe(303);
      const npsso = browser.npsso!;
      const first = await signInTokens(s, npsso, app);
      const rotated = await refresh(s, app, first.refresh_token);
      expect(rotated.status).toBe(200);
      // The spent token again, after its successor was used: theft, the family is revoked.
      expect((await refresh(s, app, rotated.body.refresh_token as string)).status).toBe(200);
      expect((await refresh(s, app, first.refresh_token)).body.error).toBe('invalid_grant');
      const second = await signInTokens(s, npsso, app);
      expect((await revoke(s, app, second.refresh_token)).status).toBe(200);
      expect((await browser.post('/signout', { csrf: await browser.csrf('/') })).status).toBe(303);
      await rotateSigningKey(s.kt);
      await disablePerson(s.kt, ada.email);

      const by = (type: string, actor: string, clientId: string | null = null, email: string | null = ada.email) => ({ type, email, clientId, actor });
      expect(await auditEvents(s.kt)).toEqual([
        by('client.added', 'operator', app.id, null),
        by('user.added', 'operator'),
        by('signin.failed', 'person'),
        by('signin.succeeded', 'person'),
        by('grant.issued', 'client', app.id),
        by('refresh.reuse_detected', 'system', app.id),
        by('grant.issued', 'client', app.id),
        by('grant.revoked', 'client', app.id),
        by('signout', 'person'),
        by('key.rotated', 'operator', null, null),
        by('user.disabled', 'operator'),
      ]);

      const stored = await s.kt.repo.listAuditEvents({});
      const fromRequests = stored.filter((e) => e.actor === 'person' || e.actor === 'client' || e.type === 'refresh.reuse_detected');
      expect(new Set(fromRequests.map((e) => e.address))).toEqual(new Set(['127.0.0.1']));
      expect(stored.every((e) => e.userId === null || e.userId === ada.id)).toBe(true);
      expect(stored.map((e) => e.time)).toEqual([...stored.map((e) => e.time)].sort((x, y) => x - y));
      const text = JSON.stringify(stored);
      for (const secret of [ada.password, npsso, first.refresh_token, first.access_token, second.refresh_token, app.secret!]) expect(text).not.toContain(secret);
    });
  });
});
