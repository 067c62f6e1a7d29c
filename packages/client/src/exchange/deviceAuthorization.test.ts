/** Starting a device sign-in: the request a client sends and every answer it can get (RFC 8628 3.1, 3.2). */
import { describe, expect, it } from 'vitest';
import { InvalidClientError, InvalidResponseError, OAuthError, RateLimitedError } from '../errors.js';
import { fakeFetch, json } from '../test-support/fakeFetch.js';
import { authorizationBody, DEVICE_T0 } from '../test-support/fakeDeviceServer.js';
import { rejection } from '../test-support/rejection.js';
import { deviceAuthorizationRequest } from './deviceAuthorizationRequest.js';
import { keyturnServer } from './keyturnServer.js';
import { processDeviceAuthorizationResponse } from './processDeviceAuthorizationResponse.js';

const now = () => DEVICE_T0;

describe('deviceAuthorizationRequest', () => {
  it('posts a public client\'s id and the scope to {baseUrl}/device_authorization, asking for JSON', async () => {
    const f = fakeFetch(() => json(authorizationBody()));
    await deviceAuthorizationRequest({ ...keyturnServer('http://127.0.0.1:8080', { clientId: 'tv-app', scope: 'openid email' }), fetch: f });
    const [req] = f.requests;
    expect(req!.method).toBe('POST');
    expect(req!.url.href).toBe('http://127.0.0.1:8080/api/authz/v3/oauth/device_authorization');
    expect(Object.fromEntries(req!.body)).toEqual({ scope: 'openid email', client_id: 'tv-app' });
    expect(req!.headers.get('accept')).toBe('application/json');
    expect(req!.headers.get('authorization')).toBeNull();
  });

  it('authenticates a confidential client with HTTP Basic and sends no empty scope', async () => {
    const f = fakeFetch(() => json(authorizationBody()));
    await deviceAuthorizationRequest({ ...keyturnServer('http://127.0.0.1:8080', { clientId: 'bot', clientSecret: 's3cret' }), fetch: f });
    const [req] = f.requests;
    expect(Object.fromEntries(req!.body)).toEqual({});
    expect(req!.headers.get('authorization')).toBe(`Basic ${Buffer.from('bot:s3cret').toString('base64')}`);
  });
});

describe('processDeviceAuthorizationResponse', () => {
  it('answers the codes with their expiry as an absolute time from the clock', async () => {
    const authorization = await processDeviceAuthorizationResponse(json(authorizationBody()), { now });
    expect(authorization).toEqual({
      deviceCode: 'dc-secret-0123456789',
      userCode: 'WDJB-MJHT',
      verificationUri: 'http://127.0.0.1:8080/device',
      verificationUriComplete: 'http://127.0.0.1:8080/device?user_code=WDJB-MJHT',
      expiresIn: 600,
      expiresAt: '2026-01-01T00:10:00.000Z',
      interval: 5,
    });
  });

  it('uses 5 s when the server names no interval, and accepts an answer without verification_uri_complete', async () => {
    const authorization = await processDeviceAuthorizationResponse(
      json(authorizationBody({ interval: undefined, verification_uri_complete: undefined })),
      { now },
    );
    expect(authorization.interval).toBe(5);
    expect(authorization.verificationUriComplete).toBeUndefined();
  });

  const unusable: Array<[string, Record<string, unknown>]> = [
    ['no device_code', { device_code: undefined }],
    ['an empty user_code', { user_code: '' }],
    ['no verification_uri', { verification_uri: undefined }],
    ['an expires_in that is not a number', { expires_in: 'ten minutes' }],
    ['a negative interval', { interval: -5 }],
    ['a verification_uri_complete that is not a string', { verification_uri_complete: 42 }],
  ];
  for (const [what, overrides] of unusable) {
    it(`rejects a 200 with ${what} as ERR_INVALID_RESPONSE`, async () => {
      const err = await rejection(processDeviceAuthorizationResponse(json(authorizationBody(overrides)), { now }));
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect((err as InvalidResponseError).code).toBe('ERR_INVALID_RESPONSE');
    });
  }

  it('turns unauthorized_client (the client may not use device sign-in) into ERR_INVALID_CLIENT, keeping the OAuth fields', async () => {
    const body = { error: 'unauthorized_client', error_description: 'client tv-app may not use the device_code grant' };
    const err = (await rejection(processDeviceAuthorizationResponse(json(body, 400)))) as InvalidClientError;
    expect(err).toBeInstanceOf(InvalidClientError);
    expect([err.status, err.error, err.error_description]).toEqual([400, 'unauthorized_client', body.error_description]);
  });

  it('turns invalid_scope into ERR_OAUTH and a 429 into ERR_RATE_LIMITED with its Retry-After', async () => {
    const scope = (await rejection(processDeviceAuthorizationResponse(json({ error: 'invalid_scope' }, 400)))) as OAuthError;
    expect([scope.code, scope.error]).toEqual(['ERR_OAUTH', 'invalid_scope']);
    const limited = (await rejection(processDeviceAuthorizationResponse(json({}, 429, { 'retry-after': '30' })))) as RateLimitedError;
    expect([limited.code, limited.retryAfter]).toEqual(['ERR_RATE_LIMITED', 30]);
  });

  it('answers a server without device sign-in (404 page) with ERR_INVALID_RESPONSE and status 404', async () => {
    const err = (await rejection(processDeviceAuthorizationResponse(new Response('<h1>Not found</h1>', { status: 404, headers: { 'content-type': 'text/html' } })))) as InvalidResponseError;
    expect([err.code, err.status]).toEqual(['ERR_INVALID_RESPONSE', 404]);
  });
});
