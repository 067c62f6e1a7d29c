/** One device-code poll: the request, and each RFC 8628 3.5 answer as its typed error. */
import { describe, expect, it } from 'vitest';
import {
  DeviceAuthorizationPendingError,
  DeviceDeniedError,
  DeviceExpiredError,
  DeviceSlowDownError,
} from '../deviceErrors.js';
import { InvalidClientError, KeyturnError, OAuthError } from '../errors.js';
import { fakeFetch, json, tokenBody } from '../test-support/fakeFetch.js';
import { rejection } from '../test-support/rejection.js';
import { deviceCodeGrantRequest } from './deviceCodeGrantRequest.js';
import { keyturnServer } from './keyturnServer.js';
import { processDeviceCodeResponse } from './processDeviceCodeResponse.js';

describe('deviceCodeGrantRequest', () => {
  it('posts the RFC 8628 grant type and the device code to the token endpoint as the client', async () => {
    const f = fakeFetch(() => json(tokenBody()));
    await deviceCodeGrantRequest('dc-1', { ...keyturnServer('http://127.0.0.1:8080', { clientId: 'tv-app' }), fetch: f });
    const [req] = f.requests;
    expect(req!.url.href).toBe('http://127.0.0.1:8080/api/authz/v3/oauth/token');
    expect(Object.fromEntries(req!.body)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: 'dc-1',
      client_id: 'tv-app',
    });
  });
});

describe('processDeviceCodeResponse', () => {
  it('answers the tokens of an approved sign-in', async () => {
    const tokens = await processDeviceCodeResponse(json(tokenBody()));
    expect(tokens).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1', idToken: 'id-1', expiresIn: 3600 });
  });

  const answers: Array<[string, new (...args: never[]) => KeyturnError, string]> = [
    ['authorization_pending', DeviceAuthorizationPendingError, 'ERR_DEVICE_PENDING'],
    ['slow_down', DeviceSlowDownError, 'ERR_DEVICE_SLOW_DOWN'],
    ['access_denied', DeviceDeniedError, 'ERR_DEVICE_DENIED'],
    ['expired_token', DeviceExpiredError, 'ERR_DEVICE_EXPIRED'],
  ];
  for (const [error, type, code] of answers) {
    it(`turns ${error} into ${code}, keeping error, error_description and status`, async () => {
      const err = (await rejection(processDeviceCodeResponse(json({ error, error_description: 'said the server' }, 400)))) as KeyturnError;
      expect(err).toBeInstanceOf(type);
      expect([err.code, err.error, err.error_description, err.status]).toEqual([code, error, 'said the server', 400]);
    });
  }

  it('keeps invalid_grant (a device code used or unknown) an OAuth error, not a re-login of a refresh token', async () => {
    const err = (await rejection(processDeviceCodeResponse(json({ error: 'invalid_grant' }, 400)))) as OAuthError;
    expect(err).toBeInstanceOf(OAuthError);
    expect(err.error).toBe('invalid_grant');
  });

  it('turns unauthorized_client into ERR_INVALID_CLIENT', async () => {
    expect(await rejection(processDeviceCodeResponse(json({ error: 'unauthorized_client' }, 400)))).toBeInstanceOf(InvalidClientError);
  });
});
