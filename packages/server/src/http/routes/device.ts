/**
 * `/device` (RFC 8628 3.3): a signed-in person types the code a device shows (or arrives with
 * it from `verification_uri_complete`), sees which app asks for what, and approves or denies.
 * Not signed in: to the sign-in page and back. Every POST carries the CSRF token; looking a
 * code up happens only on POST, counted against the address and the SSO session.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Keyturn } from '../../domain/context.js';
import { decideDeviceRequest } from '../../domain/device/decideDeviceRequest.js';
import { findDeviceRequest } from '../../domain/device/findDeviceRequest.js';
import { formatUserCode, normaliseUserCode } from '../../domain/device/userCode.js';
import { PATHS } from '../../domain/discovery.js';
import { DeviceRequestError } from '../../domain/errors.js';
import { resolveSso, type LiveSso } from '../../domain/sso.js';
import { NPSSO_COOKIE } from '../lib/cookies.js';
import { csrfToken, csrfValid } from '../lib/csrf.js';
import { deviceCodePage, deviceConsentPage, deviceDonePage } from '../views/device.js';

const HTML = 'text/html; charset=utf-8';

/** "1 minute", "15 minutes": a wait or a lifetime in whole minutes, rounded up. */
function minutes(sec: number): string {
  const n = Math.max(1, Math.ceil(sec / 60));
  return `${n} minute${n === 1 ? '' : 's'}`;
}

/** The code as the page shows it, when `value` can be one; '' otherwise. */
function shownCode(value: unknown): string {
  const code = typeof value === 'string' ? normaliseUserCode(value.slice(0, 64)) : null;
  return code === null ? '' : formatUserCode(code);
}

/**
 * Adds `GET /device` and `POST /device`.
 *
 * @example
 * ```ts
 * registerDeviceRoutes(app, kt);
 * ```
 */
export function registerDeviceRoutes(app: FastifyInstance, kt: Keyturn): void {
  const signInFirst = (reply: FastifyReply, status: 302 | 303, userCode: string) => {
    const back = userCode === '' ? PATHS.device : `${PATHS.device}?${new URLSearchParams({ user_code: userCode }).toString()}`;
    return reply.code(status).header('Location', `${PATHS.signin}?${new URLSearchParams({ return_to: back }).toString()}`).header('Cache-Control', 'no-store').send();
  };
  const base = (request: FastifyRequest, reply: FastifyReply, live: LiveSso) => ({ email: live.user.email, csrfToken: csrfToken(kt, request, reply) });

  app.get(PATHS.device, async (request, reply) => {
    const userCode = shownCode((request.query as Record<string, unknown>).user_code);
    const live = await resolveSso(kt, request.cookies[NPSSO_COOKIE]);
    if (!live) return signInFirst(reply, 302, userCode);
    return reply.type(HTML).send(deviceCodePage({ ...base(request, reply, live), userCode }));
  });

  app.post(PATHS.device, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const typed = typeof body.user_code === 'string' ? body.user_code : '';
    const live = await resolveSso(kt, request.cookies[NPSSO_COOKIE]);
    if (!live) return signInFirst(reply, 303, shownCode(typed));
    const again = (status: number, error: string) =>
      reply.code(status).type(HTML).send(deviceCodePage({ ...base(request, reply, live), userCode: typed.slice(0, 20), error }));

    if (!csrfValid(kt, request, body.csrf)) return again(403, 'This form expired. Please enter the code again.');
    if (typed.trim() === '') return again(400, 'Enter the code your device shows.');
    const action = body.action;
    if (action !== undefined && action !== 'approve' && action !== 'deny') return again(400, 'Choose Approve or Deny.');
    try {
      if (action === undefined) {
        const found = await findDeviceRequest(kt, typed, { address: request.ip, ssoSessionId: live.session.id });
        const consent = { clientName: found.clientName, clientId: found.client.id, userCode: found.userCode, scopes: found.scopes, signInAgainBy: found.signInAgainBy, now: kt.now() };
        return reply.type(HTML).send(deviceConsentPage({ ...base(request, reply, live), request: consent }));
      }
      const decided = await decideDeviceRequest(kt, typed, action === 'approve', live, request.ip);
      return reply.type(HTML).send(deviceDonePage({ ...base(request, reply, live), clientName: decided.clientName, approved: action === 'approve' }));
    } catch (err) {
      if (!(err instanceof DeviceRequestError)) throw err;
      if (err.code === 'ERR_TOO_MANY_ATTEMPTS') {
        const waitSec = kt.config.loginWindowSec;
        reply.header('Retry-After', String(waitSec));
        return again(429, `Too many wrong codes. Wait ${minutes(waitSec)}, then try again.`);
      }
      return again(400, `That code is not valid. Check the code your device shows: each code works once, for ${minutes(kt.config.deviceCodeTtlSec)}.`);
    }
  });
}
