/**
 * The pace of device-code polling (RFC 8628 3.5): wait `interval` before each poll, 5 s longer
 * after every `slow_down`, twice as long after a timeout, never poll past the code's expiry.
 */
import { DeviceAuthorizationPendingError, DeviceExpiredError, DeviceSlowDownError } from '../deviceErrors.js';
import { RateLimitedError, TimeoutError } from '../errors.js';
import { deviceCodeGrantRequest } from '../exchange/deviceCodeGrantRequest.js';
import type { DeviceAuthorization, PollDeviceTokenOptions } from '../exchange/deviceTypes.js';
import { processDeviceCodeResponse } from '../exchange/processDeviceCodeResponse.js';
import type { AuthTokensResponse } from '../exchange/types.js';
import { resolveClient } from './options.js';
import { sleep as timerSleep } from './sleep.js';

const SLOW_DOWN_MS = 5_000;
/** A server's `interval: 0` must not turn polling into a flood. */
const MIN_INTERVAL_MS = 1_000;

/** The approved tokens and when the poll that got them was sent (their lifetimes count from then). */
export interface ApprovedDevice {
  tokens: AuthTokensResponse;
  sentAt: number;
}

/**
 * Polls until the person approves; rejects with `DeviceDeniedError`, `DeviceExpiredError` (the
 * server's `expired_token`, or the deadline passing with no poll sent after it), the signal's
 * reason, or any other error of a poll. `authorization_pending` and 429 (after `Retry-After`)
 * just mean "ask again".
 */
export async function pollUntilApproved(authorization: DeviceAuthorization, options: PollDeviceTokenOptions): Promise<ApprovedDevice> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? timerSleep;
  const deadline = Date.parse(authorization.expiresAt);
  const requestedScope = resolveClient(options).scope;
  let intervalMs = Math.max(MIN_INTERVAL_MS, authorization.interval * 1000);
  let waitMs = intervalMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const left = deadline - now();
    // A deadline before the next poll is the end: wait it out rather than poll early (or at a timer's edge).
    await sleep(Math.max(0, Math.min(waitMs, left)), options.signal);
    if (left <= waitMs || now() >= deadline) throw expired(authorization);
    const sentAt = now();
    try {
      const res = await deviceCodeGrantRequest(authorization.deviceCode, options);
      return { tokens: await processDeviceCodeResponse(res, requestedScope), sentAt };
    } catch (err) {
      if (err instanceof DeviceSlowDownError) intervalMs += SLOW_DOWN_MS;
      else if (err instanceof TimeoutError) intervalMs *= 2;
      else if (err instanceof DeviceExpiredError) {
        err.expiresAt ??= authorization.expiresAt;
        throw err;
      }
      else if (!(err instanceof DeviceAuthorizationPendingError) && !(err instanceof RateLimitedError)) throw err;
      waitMs = err instanceof RateLimitedError ? Math.max(intervalMs, (err.retryAfter ?? 0) * 1000) : intervalMs;
    }
  }
}

function expired(authorization: DeviceAuthorization): DeviceExpiredError {
  const err = new DeviceExpiredError(`the code ${authorization.userCode} expired at ${authorization.expiresAt} before anyone approved it`);
  err.expiresAt = authorization.expiresAt;
  return err;
}
