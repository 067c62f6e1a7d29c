/** The device authorization rule (RFC 8628 3.1, 3.2): who may start, the codes and URIs it answers, and what is stored. */
import { describe, expect, it } from 'vitest';
import { aClient, refusal, T0, useDomainContext } from '../../test-support/domain.js';
import { deviceCode } from '../../storage/test-support/records.js';
import { sha256Hex } from '../lib/crypto.js';
import { startDeviceAuthorization } from './startDeviceAuthorization.js';
import { normaliseUserCode, userCodeHash } from './userCode.js';

describe('startDeviceAuthorization', () => {
  const t = useDomainContext({ client: { grantTypes: ['authorization_code', 'refresh_token', 'device_code'], scope: 'openid email offline_access' } });

  it('answers a device code, a user code, the verification URIs, the lifetime and the interval, and stores only hashes', async () => {
    const body = await startDeviceAuthorization(t.kt, t.client, { scope: 'openid offline_access', userAgent: 'curl/8.5.0' });
    const issuer = t.kt.config.issuer;
    expect(body).toEqual({
      device_code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      user_code: expect.stringMatching(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/),
      verification_uri: `${issuer}/device`,
      verification_uri_complete: `${issuer}/device?user_code=${body.user_code}`,
      expires_in: 600,
      interval: 5,
    });
    expect(await t.kt.repo.findDeviceCode(sha256Hex(body.device_code))).toEqual(
      deviceCode({
        deviceCodeHash: sha256Hex(body.device_code),
        userCodeHash: userCodeHash(normaliseUserCode(body.user_code)!),
        clientId: t.client.id,
        scope: 'openid offline_access',
        createdAt: T0,
        expiresAt: T0 + 600_000,
        userAgent: 'curl/8.5.0',
      }),
    );
  });

  it("asks for the client's whole scope when the device names none", async () => {
    const body = await startDeviceAuthorization(t.kt, t.client, {});
    expect((await t.kt.repo.findDeviceCode(sha256Hex(body.device_code)))?.scope).toBe('openid email offline_access');
  });

  it('refuses a scope beyond the client, and a client not registered for the device grant', async () => {
    await expect(startDeviceAuthorization(t.kt, t.client, { scope: 'openid admin' })).rejects.toMatchObject(
      refusal('invalid_scope', 'scope asks for more than this client may have'),
    );
    const { client: web } = await aClient(t.kt);
    await expect(startDeviceAuthorization(t.kt, web, {})).rejects.toMatchObject(
      refusal('unauthorized_client', 'this client may not use the device_code grant (keyturn client add --grant-types)'),
    );
  });

  it('draws a different user code for each request', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) codes.add((await startDeviceAuthorization(t.kt, t.client, {})).user_code);
    expect(codes.size).toBe(20);
  });
});
