/** The answers of device sign-in (RFC 8628 3.5) as typed errors, so a poll loop or a program can `switch (err.code)`. */
import { KeyturnError } from './errors.js';

/**
 * The codes of device sign-in, part of `KeyturnErrorCode`.
 *
 * @example
 * ```ts
 * const final: DeviceErrorCode[] = ['ERR_DEVICE_DENIED', 'ERR_DEVICE_EXPIRED'];
 * if (err instanceof KeyturnError && (final as string[]).includes(err.code)) startOver();
 * ```
 */
export type DeviceErrorCode = 'ERR_DEVICE_PENDING' | 'ERR_DEVICE_SLOW_DOWN' | 'ERR_DEVICE_DENIED' | 'ERR_DEVICE_EXPIRED';

/**
 * `authorization_pending`: the person has not approved or denied yet. Poll again after the
 * interval (`pollDeviceToken` does).
 *
 * @example
 * ```ts
 * const tokens = await processDeviceCodeResponse(await deviceCodeGrantRequest(deviceCode, server)).catch((err) => {
 *   if (err instanceof DeviceAuthorizationPendingError) return null; // ask again in `interval` seconds
 *   throw err;
 * });
 * ```
 */
export class DeviceAuthorizationPendingError extends KeyturnError {
  readonly code = 'ERR_DEVICE_PENDING' as const;
}

/**
 * `slow_down`: the client polled faster than its interval. Wait 5 seconds longer between polls
 * from now on (RFC 8628 3.5; `pollDeviceToken` does).
 *
 * @example
 * ```ts
 * if (err instanceof DeviceSlowDownError) intervalSeconds += 5;
 * ```
 */
export class DeviceSlowDownError extends KeyturnError {
  readonly code = 'ERR_DEVICE_SLOW_DOWN' as const;
}

/**
 * `access_denied`: the person chose Deny on the verification page. Nothing more will come of
 * this code; start a new device sign-in to try again.
 *
 * @example
 * ```ts
 * if (err instanceof DeviceDeniedError) console.error('sign-in was denied on the other device');
 * ```
 */
export class DeviceDeniedError extends KeyturnError {
  readonly code = 'ERR_DEVICE_DENIED' as const;
}

/**
 * `expired_token`, or the code's `expires_in` passed while polling: nobody approved in time.
 * Start a new device sign-in for a new code.
 *
 * @example
 * ```ts
 * if (err instanceof DeviceExpiredError) console.error(`the code expired at ${err.expiresAt ?? 'its deadline'}`);
 * ```
 */
export class DeviceExpiredError extends KeyturnError {
  readonly code = 'ERR_DEVICE_EXPIRED' as const;
  /** When the code expired (ISO), when known. */
  expiresAt: string | undefined;
}

/**
 * Every device sign-in error class, part of `KeyturnClientError`.
 *
 * @example
 * ```ts
 * function advice(err: DeviceError): string {
 *   return err.code === 'ERR_DEVICE_DENIED' ? 'denied: run the sign-in again' : err.message;
 * }
 * ```
 */
export type DeviceError = DeviceAuthorizationPendingError | DeviceSlowDownError | DeviceDeniedError | DeviceExpiredError;
