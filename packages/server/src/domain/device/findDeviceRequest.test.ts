/** The /device lookup: what it shows of a request, and the limit on wrong codes per address and per SSO session. */
import { describe, expect, it } from 'vitest';
import { DAY } from '../../test-support/clock.js';
import { ADDRESS, aPerson, T0, useDomainContext } from '../../test-support/domain.js';
import type { Keyturn } from '../context.js';
import { signIn } from '../signIn.js';
import { resolveSso } from '../sso.js';
import { findDeviceRequest } from './findDeviceRequest.js';
import { startDeviceAuthorization } from './startDeviceAuthorization.js';

const UNKNOWN = { name: 'DeviceRequestError', code: 'ERR_UNKNOWN_USER_CODE' };
const LOCKED = { name: 'DeviceRequestError', code: 'ERR_TOO_MANY_ATTEMPTS' };

async function sessionOf(kt: Keyturn, email: string, password: string): Promise<string> {
  const { npsso } = await signIn(kt, { email, password, address: ADDRESS });
  return (await resolveSso(kt, npsso))!.session.id;
}

describe('findDeviceRequest', () => {
  const t = useDomainContext({ client: { grantTypes: ['device_code', 'refresh_token'], refreshTtlSec: 30 * 86_400 } });

  it('finds the pending request by the code in any case and without the dash, with the client and its scopes', async () => {
    const started = await startDeviceAuthorization(t.kt, t.client, { scope: 'openid offline_access' });
    const ssoSessionId = await sessionOf(t.kt, t.person.email, t.person.password);
    const found = await findDeviceRequest(t.kt, started.user_code.replace('-', '').toLowerCase(), { address: ADDRESS, ssoSessionId });
    expect(found).toMatchObject({ clientName: t.client.id, userCode: started.user_code, scopes: ['openid', 'offline_access'], signInAgainBy: T0 + 30 * DAY });
    expect(found.client.id).toBe(t.client.id);
  });

  it('treats a malformed, an unknown and a decided code alike', async () => {
    const ssoSessionId = await sessionOf(t.kt, t.person.email, t.person.password);
    for (const typed of ['nonsense', 'BCDF-GHJK', '']) {
      await expect(findDeviceRequest(t.kt, typed, { address: ADDRESS, ssoSessionId })).rejects.toMatchObject(UNKNOWN);
    }
  });

  it('refuses every code, the right one too, after 10 wrong ones from one address, whichever session typed them', async () => {
    const started = await startDeviceAuthorization(t.kt, t.client, {});
    const mallory = await aPerson(t.kt, 'Mallory');
    const sessions = [await sessionOf(t.kt, t.person.email, t.person.password), await sessionOf(t.kt, mallory.email, mallory.password)];
    for (let i = 0; i < 10; i++) {
      await expect(findDeviceRequest(t.kt, 'BCDF-GHJK', { address: '203.0.113.9', ssoSessionId: sessions[i % 2]! })).rejects.toMatchObject(UNKNOWN);
    }
    await expect(findDeviceRequest(t.kt, started.user_code, { address: '203.0.113.9', ssoSessionId: sessions[0]! })).rejects.toMatchObject(LOCKED);
    // Another address with a session that made few guesses still gets through.
    expect((await findDeviceRequest(t.kt, started.user_code, { address: '203.0.113.10', ssoSessionId: sessions[0]! })).userCode).toBe(started.user_code);
  });

  it('refuses every code after 10 wrong ones from one SSO session, whichever address it came from', async () => {
    const started = await startDeviceAuthorization(t.kt, t.client, {});
    const ssoSessionId = await sessionOf(t.kt, t.person.email, t.person.password);
    for (let i = 0; i < 10; i++) {
      await expect(findDeviceRequest(t.kt, 'BCDF-GHJK', { address: `203.0.113.${20 + i}`, ssoSessionId })).rejects.toMatchObject(UNKNOWN);
    }
    await expect(findDeviceRequest(t.kt, started.user_code, { address: '203.0.113.99', ssoSessionId })).rejects.toMatchObject(LOCKED);
  });

  it('takes back the count of a code that was right, so typing right codes never locks anyone out', async () => {
    const ssoSessionId = await sessionOf(t.kt, t.person.email, t.person.password);
    for (let i = 0; i < 12; i++) {
      const started = await startDeviceAuthorization(t.kt, t.client, {});
      expect((await findDeviceRequest(t.kt, started.user_code, { address: ADDRESS, ssoSessionId })).userCode).toBe(started.user_code);
    }
  });
});
