/**
 * The certified relying party openid-client, unchanged, signing a device in against Keyturn
 * (RFC 8628): `initiateDeviceAuthorization`, `pollDeviceAuthorizationGrant` polling through
 * `authorization_pending`, and the person approving (or denying) on /device over HTTP.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../domain/lib/crypto.js';
import { Browser } from '../test-support/browser.js';
import { aClient, type TestClient } from '../test-support/clients.js';
import { answerOnDevicePage, DEVICE_GRANTS } from '../test-support/device.js';
import { PATHS } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { useServer, type TestServer } from '../test-support/server.js';

const SCOPE = 'openid email offline_access';

/** Resolves once the server has answered at least one poll of this device code (so `authorization_pending` was seen). */
async function polledOnce(s: TestServer, deviceCode: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await s.kt.repo.findDeviceCode(sha256Hex(deviceCode)))?.lastPolledAt != null) return;
    await sleep(50);
  }
  throw new Error('the device never polled');
}

describe('openid-client signing a device in against Keyturn', () => {
  // A 1 s interval keeps the test short; openid-client waits the interval before every poll.
  const f = useServer({ config: { deviceIntervalSec: 1 } }, async (s) => {
    const ada = await aPerson(s);
    return {
      ada,
      browser: await Browser.signedIn(s, ada),
      cli: await aClient(s, { public: true, grantTypes: DEVICE_GRANTS, scope: SCOPE }),
      tv: await aClient(s, { grantTypes: DEVICE_GRANTS, scope: SCOPE }),
    };
  });

  const discover = ({ id, secret }: TestClient) =>
    oidc.discovery(new URL(f.s.url), id, secret ?? { token_endpoint_auth_method: 'none' }, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });

  it('completes a device login of a public client, polling until the person approves, then uses and refreshes the tokens', async () => {
    const { s, ada, browser, cli } = f;
    const config = await discover(cli);
    expect(config.serverMetadata().device_authorization_endpoint).toBe(`${s.issuer}${PATHS.deviceAuthorization}`);
    const started = await oidc.initiateDeviceAuthorization(config, { scope: SCOPE });
    expect(started.verification_uri_complete).toBe(`${s.issuer}${PATHS.device}?user_code=${started.user_code}`);

    const polling = oidc.pollDeviceAuthorizationGrant(config, started);
    await polledOnce(s, started.device_code);
    expect((await answerOnDevicePage(browser, started.user_code, 'approve')).status).toBe(200);
    const tokens = await polling;

    expect(tokens.claims()).toMatchObject({ iss: s.issuer, sub: ada.id, aud: cli.id });
    expect(tokens.scope).toBe(SCOPE);
    expect(await oidc.fetchUserInfo(config, tokens.access_token, ada.id)).toEqual({ sub: ada.id, email: ada.email, email_verified: false });
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()!.sub).toBe(ada.id);
  });

  it('rejects with access_denied when the person denies a confidential client', async () => {
    const { s, browser, tv } = f;
    const config = await discover(tv);
    const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
    const polling = oidc.pollDeviceAuthorizationGrant(config, started);
    const outcome = polling.then(
      () => null,
      (err: unknown) => err,
    );
    await polledOnce(s, started.device_code);
    await answerOnDevicePage(browser, started.user_code, 'deny');
    expect(await outcome).toMatchObject({ error: 'access_denied', status: 400 });
  });
});
