/** Shapes of device sign-in (RFC 8628): the device authorization answer and the options of its functions. */
import type { ExchangeOptions } from './types.js';

/**
 * A device authorization answer, checked: show `userCode` and `verificationUri` (or a QR code of
 * `verificationUriComplete`) to the person, then poll with `deviceCode`.
 *
 * @example
 * ```ts
 * const authorization: DeviceAuthorization = await processDeviceAuthorizationResponse(await deviceAuthorizationRequest(server));
 * console.log(`Open ${authorization.verificationUri} and enter ${authorization.userCode} before ${authorization.expiresAt}`);
 * ```
 */
export interface DeviceAuthorization {
  /** The secret the client polls with; never shown to anyone. */
  deviceCode: string;
  /** The short code the person types on the verification page, e.g. `WDJB-MJHT`. */
  userCode: string;
  /** The page where the person enters the code, e.g. `https://auth.example.com/device`. */
  verificationUri: string;
  /** The same page with the code filled in (for a QR code or a link), when the server gives one. */
  verificationUriComplete: string | undefined;
  /** Seconds the codes live, as the server said. */
  expiresIn: number;
  /** When the codes expire (ISO), counted from when the answer was read. */
  expiresAt: string;
  /** Seconds to wait between polls: the server's `interval`, else 5 (RFC 8628 3.2). */
  interval: number;
}

/**
 * Options of `deviceAuthorizationRequest`: the server and client (`keyturnServer(…)`), and the
 * scope to ask for (none: the server grants the client's registered scopes).
 *
 * @example
 * ```ts
 * const options: DeviceAuthorizationOptions = { ...keyturnServer(url, { clientId: 'tv-app' }), scope: 'openid email' };
 * const res = await deviceAuthorizationRequest(options);
 * ```
 */
export type DeviceAuthorizationOptions = ExchangeOptions;

/**
 * The clock of the device functions, replaceable so tests freeze it.
 *
 * @example
 * ```ts
 * let t = Date.UTC(2026, 0, 1);
 * const clock: DeviceClock = { now: () => t, sleep: async (ms) => void (t += ms) };
 * await pollDeviceToken(authorization, { ...server, ...clock });
 * ```
 */
export interface DeviceClock {
  /** Epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Waits `ms`, rejecting with the signal's reason when it aborts. Default: a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Options of `pollDeviceToken`: the server and client, `signal` to stop polling, and the clock.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * process.once('SIGINT', () => stop.abort());
 * const tokens = await pollDeviceToken(authorization, { ...server, signal: stop.signal });
 * ```
 */
export interface PollDeviceTokenOptions extends ExchangeOptions, DeviceClock {}
