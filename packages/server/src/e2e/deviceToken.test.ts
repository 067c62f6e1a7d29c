/**
 * The token endpoint's device_code grant over HTTP (RFC 8628 3.4, 3.5): every answer a polling
 * device can get, the tokens once approved, and exactly one winner among concurrent polls on
 * SQLite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { Browser } from '../test-support/browser.js';
import { aClient } from '../test-support/clients.js';
import { frozenClock, MINUTE, SECOND } from '../test-support/clock.js';
import { answerOnDevicePage, DEVICE_GRANTS, pollDevice, startDevice } from '../test-support/device.js';
import { introspect, userinfo } from '../test-support/endpoints.js';
import { refresh } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

const error = (name: string) => ({ status: 400, body: { error: name } });

describe('polling the token endpoint with a device code', () => {
  const clock = frozenClock();
  const f = useServer({ now: clock.now, config: { gcIntervalSec: 0 } }, async (s) => {
    const ada = await aPerson(s, { name: 'Ada' });
    return {
      ada,
      browser: await Browser.signedIn(s, ada),
      tv: await aClient(s, { grantTypes: DEVICE_GRANTS, name: 'Living Room TV', scope: 'openid email offline_access' }),
      web: await aClient(s),
    };
  });

  it('answers authorization_pending, then slow_down to a poll that came too soon, with no-store on every answer', async () => {
    const { s, tv } = f;
    const started = await startDevice(s, tv);
    const first = await pollDevice(s, tv, started.device_code);
    expect(first).toMatchObject({ status: 400, body: { error: 'authorization_pending', error_description: 'the person has not approved the request yet' } });
    expect(first.headers.get('cache-control')).toBe('no-store');
    clock.advance(2 * SECOND);
    expect(await pollDevice(s, tv, started.device_code)).toMatchObject({ status: 400, body: { error: 'slow_down', error_description: 'poll at most every 10 seconds' } });
    clock.advance(10 * SECOND);
    expect(await pollDevice(s, tv, started.device_code)).toMatchObject(error('authorization_pending'));
  });

  it('gives the tokens of the code flow once the person approved, and invalid_grant for the code used again', async () => {
    const { s, tv, ada, browser } = f;
    const started = await startDevice(s, tv);
    expect((await answerOnDevicePage(browser, started.user_code, 'approve')).status).toBe(200);
    const res = await pollDevice(s, tv, started.device_code, { 'user-agent': 'keyturn-cli/0.1' });
    expect(res).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 3600, scope: 'openid email offline_access', refresh_token_expires_in: 60 * 86_400 } });
    const body = res.body as { access_token: string; refresh_token: string; id_token: string };
    expect(body.id_token.split('.')).toHaveLength(3);
    expect((await userinfo(s, body.access_token)).body).toEqual({ sub: ada.id, email: ada.email, email_verified: false });
    expect(await introspect(s, tv, body.refresh_token)).toMatchObject({ active: true, client_id: tv.id, sub: ada.id });
    expect((await refresh(s, tv, body.refresh_token)).status).toBe(200);

    clock.advance(5 * SECOND);
    expect(await pollDevice(s, tv, started.device_code)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'the device code was already used' } });
  });

  it('answers access_denied after the person pressed Deny', async () => {
    const { s, tv, browser } = f;
    const started = await startDevice(s, tv);
    expect((await answerOnDevicePage(browser, started.user_code, 'deny')).status).toBe(200);
    expect(await pollDevice(s, tv, started.device_code)).toMatchObject({ status: 400, body: { error: 'access_denied', error_description: 'the person denied the request' } });
  });

  it('answers expired_token once the code has lived its 10 minutes', async () => {
    const { s, tv } = f;
    const started = await startDevice(s, tv);
    clock.advance(10 * MINUTE);
    expect(await pollDevice(s, tv, started.device_code)).toMatchObject(error('expired_token'));
  });

  it('answers invalid_grant for a device code of another client or no device code at all, and unauthorized_client for a client without the grant', async () => {
    const { s, tv, web } = f;
    const started = await startDevice(s, tv);
    const other = await aClient(s, { grantTypes: DEVICE_GRANTS });
    expect(await pollDevice(s, other, started.device_code)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'the device code is invalid' } });
    expect(await pollDevice(s, tv, 'x'.repeat(43))).toMatchObject(error('invalid_grant'));
    expect(await pollDevice(s, web, started.device_code)).toMatchObject(error('unauthorized_client'));
    expect(await pollDevice(s, tv, '')).toMatchObject(error('invalid_request'));
  });

  it('takes the approval back when the approving browser signs out before the device polls', async () => {
    const { s, tv, ada } = f;
    const started = await startDevice(s, tv);
    const browser = await Browser.signedIn(s, ada);
    expect((await answerOnDevicePage(browser, started.user_code, 'approve')).status).toBe(200);
    const csrf = await browser.csrf('/');
    expect((await browser.post('/signout', { csrf })).status).toBe(303);
    expect(await pollDevice(s, tv, started.device_code)).toMatchObject(error('access_denied'));
  });
});

describe.each(['sqlite', 'postgres'] as const)('concurrent polls after approval (%s)', (backend) => {
  const f = useServer({ backend, config: { gcIntervalSec: 0 } }, async (s) => {
    const ada = await aPerson(s);
    return { browser: await Browser.signedIn(s, ada), tv: await aClient(s, { grantTypes: DEVICE_GRANTS }) };
  });

  it('give the tokens to exactly one of 12 polls; the others get invalid_grant', async () => {
    const { s, tv, browser } = f;
    const started = await startDevice(s, tv);
    await answerOnDevicePage(browser, started.user_code, 'approve');
    const answers = await Promise.all(Array.from({ length: 12 }, () => pollDevice(s, tv, started.device_code)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400 && a.body.error === 'invalid_grant')).toHaveLength(11);
  });
});
