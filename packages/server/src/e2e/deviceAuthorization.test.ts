/**
 * `POST /api/authz/v3/oauth/device_authorization` (RFC 8628 3.1, 3.2): the answer a device
 * gets, who may ask, and the lifetime setting.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { aClient, basic } from '../test-support/clients.js';
import { DEVICE_GRANTS, deviceAuthorization, startDevice } from '../test-support/device.js';
import { postForm } from '../test-support/endpoints.js';
import { endpoint } from '../test-support/paths.js';
import { useServer } from '../test-support/server.js';

const USER_CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;

describe('the device authorization endpoint', () => {
  const f = useServer({}, async (s) => ({
    tv: await aClient(s, { grantTypes: DEVICE_GRANTS, scope: 'openid profile offline_access' }),
    cli: await aClient(s, { public: true, grantTypes: DEVICE_GRANTS }),
    web: await aClient(s),
  }));

  it('answers a device code, a user code like WDJB-MJHT, the verification URIs, 600 s and a 5 s interval, never cached', async () => {
    const { s, tv } = f;
    const res = await deviceAuthorization(s, tv, { scope: 'openid offline_access' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const userCode = String(res.body.user_code);
    expect(userCode).toMatch(USER_CODE);
    expect(res.body).toEqual({
      device_code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      user_code: userCode,
      verification_uri: `${s.issuer}/device`,
      verification_uri_complete: `${s.issuer}/device?user_code=${userCode}`,
      expires_in: 600,
      interval: 5,
    });
  });

  it('lets a public client start without PKCE or a secret', async () => {
    const { s, cli } = f;
    expect((await startDevice(s, cli)).user_code).toMatch(USER_CODE);
  });

  it('refuses a client not registered for the device grant with unauthorized_client', async () => {
    const { s, web } = f;
    expect(await deviceAuthorization(s, web)).toMatchObject({
      status: 400,
      body: { error: 'unauthorized_client', error_description: 'this client may not use the device_code grant (keyturn client add --grant-types)' },
    });
  });

  it('refuses an unknown client and a wrong secret with invalid_client, and a scope beyond the client with invalid_scope', async () => {
    const { s, tv } = f;
    const unknown = await postForm(s, 'deviceAuthorization', { client_id: 'no-such-client' });
    expect(unknown.status).toBe(401);
    expect(JSON.parse(unknown.text)).toMatchObject({ error: 'invalid_client' });
    const wrong = await postForm(s, 'deviceAuthorization', {}, basic(tv.id, 'not-the-secret-at-all'));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await deviceAuthorization(s, tv, { scope: 'openid email' })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  });

  it('refuses a body that is not a form with invalid_request', async () => {
    const { s, tv } = f;
    const res = await fetch(endpoint(s, 'deviceAuthorization'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: tv.auth! },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('takes the lifetime from --device-code-ttl over KEYTURN_DEVICE_CODE_TTL, 600 s by default, and refuses a bad one', () => {
    expect(loadConfig({}, {}).deviceCodeTtlSec).toBe(600);
    expect(loadConfig({}, { KEYTURN_DEVICE_CODE_TTL: '120' }).deviceCodeTtlSec).toBe(120);
    expect(loadConfig({ deviceCodeTtl: '300' }, { KEYTURN_DEVICE_CODE_TTL: '120' }).deviceCodeTtlSec).toBe(300);
    expect(() => loadConfig({}, { KEYTURN_DEVICE_CODE_TTL: 'ten' })).toThrow(ConfigError);
    expect(() => loadConfig({}, { KEYTURN_DEVICE_CODE_TTL: '0' })).toThrow('--device-code-ttl (KEYTURN_DEVICE_CODE_TTL) must be a whole number of seconds, not "0"');
  });
});

describe('a server with a shorter device code lifetime', () => {
  const f = useServer({ env: { KEYTURN_DEVICE_CODE_TTL: '90' } }, async (s) => ({ tv: await aClient(s, { grantTypes: DEVICE_GRANTS }) }));

  it('tells the device so in expires_in', async () => {
    expect((await startDevice(f.s, f.tv)).expires_in).toBe(90);
  });
});
