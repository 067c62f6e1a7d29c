/**
 * `/account`: the signed-in person's sessions, devices and other browsers, and ending them
 * (`POST /account/sessions/:id/revoke`, `POST /account/browsers/:id/signout`,
 * `POST /account/sessions/revoke-all`), changing their password (`POST /account/password`),
 * all with CSRF; and their own recent security events.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listAccountSessions, listOtherBrowsers, revokeAccountSession, revokeAllAccountSessions, signOutOtherBrowser } from '../../domain/account.js';
import type { Keyturn } from '../../domain/context.js';
import { PATHS } from '../../domain/discovery.js';
import { PasswordChangeError } from '../../domain/errors.js';
import { changeOwnPassword } from '../../domain/people/changeOwnPassword.js';
import { resolveSso, type LiveSso } from '../../domain/sso.js';
import { NPSSO_COOKIE, cookieOptions } from '../lib/cookies.js';
import { csrfToken, csrfValid } from '../lib/csrf.js';
import { accountPage, type AccountNotice } from '../views/account.js';
import { deviceHint } from '../views/format.js';
import { errorPage } from '../views/pages.js';

const HTML = 'text/html; charset=utf-8';
/** Carries the confirmation across the redirect after a POST; read once, then cleared. */
const NOTICE_COOKIE = 'kt_notice';
/** How many of the person's own security events the page shows. */
const RECENT_EVENTS = 10;
/** Grant and SSO session ids; anything else cannot be one, and gets the unknown-id answer. */
const ROW_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function registerAccountRoutes(app: FastifyInstance, kt: Keyturn): void {
  const signInFirst = (reply: FastifyReply, status: 302 | 303) =>
    reply.code(status).header('Location', `${PATHS.signin}?return_to=${encodeURIComponent(PATHS.account)}`).header('Cache-Control', 'no-store').send();

  /** The signed-in person, or null after answering (redirect to sign-in, or 403 for a bad form). */
  const authorizeForm = async (request: FastifyRequest, reply: FastifyReply): Promise<LiveSso | null> => {
    const live = await resolveSso(kt, request.cookies[NPSSO_COOKIE]);
    if (!live) {
      await signInFirst(reply, 303);
      return null;
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!csrfValid(kt, request, body.csrf)) {
      await reply.code(403).type(HTML).send(errorPage('Request refused', 'This form expired. Go back to your account page, reload it and try again.'));
      return null;
    }
    return live;
  };

  const done = (reply: FastifyReply, notice: AccountNotice) => {
    const value =
      notice.kind === 'revoked'
        ? `revoked:${notice.clientName}`
        : notice.kind === 'browser-signed-out'
          ? `browser:${notice.device}`
          : notice.kind === 'password-changed'
            ? `password:${notice.apps}:${notice.browsers}`
            : `revoked-all:${notice.count}:${notice.browsers}`;
    reply.setCookie(NOTICE_COOKIE, value, { ...cookieOptions(kt, 60), path: PATHS.account });
    return reply.code(303).header('Location', PATHS.account).header('Cache-Control', 'no-store').send();
  };

  /** The page for `live`, with a notice or, after a refused password change, why. */
  const render = async (request: FastifyRequest, reply: FastifyReply, live: LiveSso, notice: AccountNotice | null, passwordError: string | null = null) => {
    const sessions = await listAccountSessions(kt, live.user.id, live.session.id);
    const browsers = await listOtherBrowsers(kt, live.user.id, live.session.id);
    const events = await kt.repo.listAuditEvents({ userId: live.user.id, newestFirst: true, limit: RECENT_EVENTS });
    const page = { email: live.user.email, name: live.user.name, current: live.session, browsers, sessions, events, passwordError };
    return reply.type(HTML).send(accountPage({ ...page, csrfToken: csrfToken(kt, request, reply), now: kt.now(), notice }));
  };

  app.get(PATHS.account, async (request, reply) => {
    const live = await resolveSso(kt, request.cookies[NPSSO_COOKIE]);
    if (!live) return signInFirst(reply, 302);
    const notice = readNotice(request.cookies[NOTICE_COOKIE]);
    if (request.cookies[NOTICE_COOKIE] !== undefined) reply.clearCookie(NOTICE_COOKIE, { ...cookieOptions(kt, null), path: PATHS.account });
    return render(request, reply, live, notice);
  });

  app.post('/account/password', async (request, reply) => {
    const live = await authorizeForm(request, reply);
    if (!live) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const field = (name: string) => (typeof body[name] === 'string' ? body[name] : '');
    const [current, next, again] = [field('current_password'), field('new_password'), field('new_password_again')];
    const refuse = (status: number, why: string) => render(request, reply.code(status), live, null, why);
    if (current === '' || next === '') return refuse(400, 'Enter your current password and a new one.');
    if (next !== again) return refuse(400, 'The two new passwords are not the same. Nothing was changed.');
    try {
      const ended = await changeOwnPassword(kt, live, { current, next, address: request.ip });
      return done(reply, { kind: 'password-changed', apps: ended.apps, browsers: ended.browsers });
    } catch (err) {
      if (!(err instanceof PasswordChangeError)) throw err;
      return refuse(err.code === 'ERR_TOO_MANY_ATTEMPTS' ? 429 : 400, err.message);
    }
  });

  app.post('/account/sessions/:id/revoke', async (request, reply) => {
    const live = await authorizeForm(request, reply);
    if (!live) return reply;
    const { id } = request.params as { id: string };
    // Someone else's grant and no grant at all look the same.
    const ended = ROW_ID.test(id) ? await revokeAccountSession(kt, live.user.id, id, request.ip) : null;
    if (!ended) return reply.code(404).type(HTML).send(errorPage('Session not found', 'There is no such session on your account. It may have ended already.'));
    return done(reply, { kind: 'revoked', clientName: ended.clientName });
  });

  app.post('/account/sessions/revoke-all', async (request, reply) => {
    const live = await authorizeForm(request, reply);
    if (!live) return reply;
    const { apps, browsers } = await revokeAllAccountSessions(kt, live.user.id, live.session.id, request.ip);
    return done(reply, { kind: 'revoked-all', count: apps, browsers });
  });

  app.post('/account/browsers/:id/signout', async (request, reply) => {
    const live = await authorizeForm(request, reply);
    if (!live) return reply;
    const { id } = request.params as { id: string };
    // Someone else's browser, this browser, an ended one and no session at all look the same.
    const ended = ROW_ID.test(id) ? await signOutOtherBrowser(kt, live.user.id, live.session.id, id, request.ip) : null;
    if (!ended) return reply.code(404).type(HTML).send(errorPage('Browser not found', 'There is no such browser signed in to your account. It may have signed out already.'));
    return done(reply, { kind: 'browser-signed-out', device: deviceHint(ended.userAgent) });
  });
}

function readNotice(value: string | undefined): AccountNotice | null {
  if (!value) return null;
  const [kind, ...rest] = value.split(':');
  const arg = rest.join(':');
  if (kind === 'revoked' && arg) return { kind: 'revoked', clientName: arg.slice(0, 200) };
  if (kind === 'browser' && arg) return { kind: 'browser-signed-out', device: arg.slice(0, 200) };
  const counts = kind === 'password' ? /^(\d{1,6}):(\d{1,6})$/.exec(arg) : null;
  if (counts) return { kind: 'password-changed', apps: Number(counts[1]), browsers: Number(counts[2]) };
  const all = kind === 'revoked-all' ? /^(\d{1,6})(?::(\d{1,6}))?$/.exec(arg) : null;
  if (all) return { kind: 'revoked-all', count: Number(all[1]), browsers: Number(all[2] ?? 0) };
  return null;
}
