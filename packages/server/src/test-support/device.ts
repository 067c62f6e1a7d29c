/**
 * Device sign-in (RFC 8628) in tests: a device starting it and polling, with plain fetch, and a
 * person answering on the /device page through the form posts a browser makes.
 */
import { expect } from 'vitest';
import type { DeviceAuthorizationResponse } from '../domain/device/startDeviceAuthorization.js';
import type { Browser } from './browser.js';
import type { TestClient } from './clients.js';
import type { Answer } from './http.js';
import { tokenRequest, type TokenAnswer } from './oauth.js';
import { endpoint, type Target } from './paths.js';

/** RFC 8628's grant type. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** What a client needs for device sign-in (`aClient(s, { grantTypes: DEVICE_GRANTS })`), refresh included. */
export const DEVICE_GRANTS = ['authorization_code', 'refresh_token', 'device_code'];

/** A device authorization response (RFC 8628 3.2). */
export type DeviceStart = DeviceAuthorizationResponse;

/**
 * POSTs to the device authorization endpoint as `client`, with `form` added (e.g. a scope).
 *
 * @example
 * ```ts
 * const res = await deviceAuthorization(s, web);
 * expect(res).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
 * ```
 */
export async function deviceAuthorization(target: Target, client: TestClient, form: Record<string, string> = {}): Promise<TokenAnswer> {
  const res = await fetch(endpoint(target, 'deviceAuthorization'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(client.auth ? { authorization: client.auth } : {}) },
    body: new URLSearchParams({ ...client.form, ...form }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/**
 * Starts a device sign-in as `client`; asserts the 200 and returns the body.
 *
 * @example
 * ```ts
 * const started = await startDevice(s, tv);
 * await approveOnDevicePage(browser, started.user_code);
 * ```
 */
export async function startDevice(target: Target, client: TestClient, form: Record<string, string> = {}): Promise<DeviceStart> {
  const res = await deviceAuthorization(target, client, form);
  expect(res, 'the device authorization').toMatchObject({ status: 200 });
  return res.body as unknown as DeviceStart;
}

/**
 * One poll of the token endpoint with the device code, as `client`.
 *
 * @example
 * ```ts
 * expect(await pollDevice(s, tv, started.device_code)).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });
 * ```
 */
export function pollDevice(target: Target, client: TestClient, deviceCode: string, headers: Record<string, string> = {}): Promise<TokenAnswer> {
  return tokenRequest(target, { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, ...client.form }, client.auth, headers);
}

/**
 * What a signed-in person does on /device: load the form, send the code (asserting the
 * consent page), then press Approve or Deny. Returns the answer to that last post.
 *
 * @example
 * ```ts
 * const done = await answerOnDevicePage(browser, started.user_code, 'approve');
 * expect(done.body).toContain('Device signed in');
 * ```
 */
export async function answerOnDevicePage(browser: Browser, userCode: string, action: 'approve' | 'deny'): Promise<Answer> {
  const csrf = await browser.csrf('/device');
  const consent = await browser.post('/device', { csrf, user_code: userCode });
  expect(consent.status, 'the consent page').toBe(200);
  return browser.post('/device', { csrf, user_code: userCode, action });
}
