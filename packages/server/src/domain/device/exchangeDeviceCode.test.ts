/** `grant_type=…:device_code` (RFC 8628 3.5): pending, slow_down, denied, expired, used, the approving session, and the tokens. */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { MINUTE, SECOND } from '../../test-support/clock.js';
import { ADDRESS, aClient, refusal, T0, useDomainContext, type Person } from '../../test-support/domain.js';
import type { ClientRecord } from '../../storage/records.js';
import type { Keyturn } from '../context.js';
import { sha256Hex } from '../lib/crypto.js';
import { signIn } from '../signIn.js';
import { endSso, resolveSso, type LiveSso } from '../sso.js';
import { grantIdForCode } from '../tokens/exchangeCode.js';
import { decideDeviceRequest } from './decideDeviceRequest.js';
import { exchangeDeviceCode } from './exchangeDeviceCode.js';
import { startDeviceAuthorization } from './startDeviceAuthorization.js';

const DEVICE = ['authorization_code', 'refresh_token', 'device_code'];
const PENDING = refusal('authorization_pending', 'the person has not approved the request yet');
const USED = refusal('invalid_grant', 'the device code was already used');

/** Signs `person` in; returns the live session and its npsso. */
async function signedIn(kt: Keyturn, person: Person): Promise<{ sso: LiveSso; npsso: string }> {
  const { npsso } = await signIn(kt, { email: person.email, password: person.password, address: ADDRESS });
  return { sso: (await resolveSso(kt, npsso))!, npsso };
}

describe('exchangeDeviceCode', () => {
  const t = useDomainContext({ client: { grantTypes: DEVICE } });

  const start = (client: ClientRecord = t.client) => startDeviceAuthorization(t.kt, client, { userAgent: 'keyturn-cli/1.0' });
  const poll = (deviceCode: string, client: ClientRecord = t.client) => exchangeDeviceCode(t.kt, client, { deviceCode });
  const decide = async (userCode: string, approve: boolean) => {
    const { sso } = await signedIn(t.kt, t.person);
    await decideDeviceRequest(t.kt, userCode, approve, sso, ADDRESS);
    return sso;
  };

  it('answers authorization_pending until the person approves, then the tokens of the code flow', async () => {
    const started = await start();
    await expect(poll(started.device_code)).rejects.toMatchObject(PENDING);
    t.clock.advance(5 * SECOND);
    const sso = await decide(started.user_code, true);
    t.clock.advance(5 * SECOND);
    const body = await poll(started.device_code);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile email offline_access', refresh_token_expires_in: 60 * 86_400 });
    const grantId = grantIdForCode(sha256Hex(started.device_code));
    expect(decodeJwt(body.id_token!)).toMatchObject({ sub: t.person.user.id, aud: t.client.id, sid: grantId, auth_time: T0 / 1000 + 5 });
    expect(await t.kt.repo.getGrant(grantId)).toMatchObject({ clientId: t.client.id, userId: t.person.user.id, ssoSessionId: sso.session.id, userAgent: 'keyturn-cli/1.0', expiresAt: T0 + 10 * SECOND + 60 * 86_400 * SECOND });
  });

  it('gives the tokens once: a device code is single use', async () => {
    const started = await start();
    await decide(started.user_code, true);
    expect((await poll(started.device_code)).access_token).toMatch(/^ey/);
    t.clock.advance(5 * SECOND);
    await expect(poll(started.device_code)).rejects.toMatchObject(USED);
  });

  it('answers slow_down to a poll sooner than the interval, adding 5 s to it each time', async () => {
    const started = await start();
    await expect(poll(started.device_code)).rejects.toMatchObject(PENDING);
    t.clock.advance(1 * SECOND);
    await expect(poll(started.device_code)).rejects.toMatchObject(refusal('slow_down', 'poll at most every 10 seconds'));
    t.clock.advance(3 * SECOND);
    await expect(poll(started.device_code)).rejects.toMatchObject(refusal('slow_down', 'poll at most every 15 seconds'));
    t.clock.advance(15 * SECOND);
    await expect(poll(started.device_code)).rejects.toMatchObject(PENDING);
    expect((await t.kt.repo.findDeviceCode(sha256Hex(started.device_code)))?.intervalSec).toBe(15);
  });

  it('takes a poll a little under the interval as on time, since network delays bunch polls up', async () => {
    const started = await start();
    await expect(poll(started.device_code)).rejects.toMatchObject(PENDING);
    t.clock.advance(4 * SECOND);
    await expect(poll(started.device_code)).rejects.toMatchObject(PENDING);
    t.clock.advance(3_999);
    await expect(poll(started.device_code)).rejects.toMatchObject({ error: 'slow_down' });
  });

  it('answers access_denied once the person denied, as long as the code lives', async () => {
    const started = await start();
    await decide(started.user_code, false);
    await expect(poll(started.device_code)).rejects.toMatchObject({ ...refusal('access_denied', 'the person denied the request'), status: 400 });
    t.clock.advance(10 * MINUTE);
    await expect(poll(started.device_code)).rejects.toMatchObject({ error: 'expired_token' });
  });

  it('answers expired_token after the lifetime, even for an approval the device never picked up', async () => {
    const started = await start();
    await decide(started.user_code, true);
    t.clock.advance(10 * MINUTE);
    await expect(poll(started.device_code)).rejects.toMatchObject(refusal('expired_token', 'the device code has expired: start the device sign-in again'));
  });

  it("answers another client's device code, and an unknown one, as invalid", async () => {
    const started = await start();
    const { client: other } = await aClient(t.kt, { grantTypes: DEVICE });
    const invalid = refusal('invalid_grant', 'the device code is invalid');
    await expect(poll(started.device_code, other)).rejects.toMatchObject(invalid);
    await expect(poll('not-a-device-code')).rejects.toMatchObject(invalid);
    await expect(exchangeDeviceCode(t.kt, t.client, {})).rejects.toMatchObject(refusal('invalid_request', 'device_code is required'));
  });

  it('takes the approval back when the browser that approved signs out before the device polls', async () => {
    const started = await start();
    const { sso, npsso } = await signedIn(t.kt, t.person);
    await decideDeviceRequest(t.kt, started.user_code, true, sso, ADDRESS);
    await endSso(t.kt, npsso);
    await expect(poll(started.device_code)).rejects.toMatchObject({
      ...refusal('access_denied', 'the sign-in that approved this device has ended: start the device sign-in again'),
      status: 400,
    });
    expect(await t.kt.repo.listActiveGrantsForUser(t.person.user.id, t.kt.now())).toEqual([]);
  });

  it('gives a public client its tokens without PKCE', async () => {
    const { client: cli } = await aClient(t.kt, { public: true, grantTypes: DEVICE });
    const started = await start(cli);
    await decide(started.user_code, true);
    const body = await poll(started.device_code, cli);
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gives no refresh token to a client that may not use the refresh_token grant', async () => {
    const { client: tv } = await aClient(t.kt, { grantTypes: ['device_code'] });
    const started = await start(tv);
    await decide(started.user_code, true);
    const body = await poll(started.device_code, tv);
    expect(body.access_token).toMatch(/^ey/);
    expect(body.refresh_token).toBeUndefined();
  });
});
