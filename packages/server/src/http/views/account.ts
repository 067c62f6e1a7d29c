/** The account page: this browser's session, the person's other browsers, the apps holding tokens, and ending them. */
import type { AccountSession } from '../../domain/account.js';
import type { SsoSessionRecord } from '../../storage/records.js';
import { deviceHint, exactTime, relativeTime } from './format.js';
import { html, layout, type SafeHtml } from './html.js';
import { signInAgainBy } from './signInAgainBy.js';

/** What the page says after an action (post/redirect/get, carried by a short-lived cookie). */
export type AccountNotice =
  | { kind: 'revoked'; clientName: string }
  | { kind: 'browser-signed-out'; device: string }
  | { kind: 'revoked-all'; count: number; browsers: number };

export interface AccountPageInput {
  email: string;
  name: string | null;
  current: SsoSessionRecord;
  /** The person's other live browser sign-ins, newest first (not `current`). */
  browsers: SsoSessionRecord[];
  sessions: AccountSession[];
  csrfToken: string;
  now: number;
  notice?: AccountNotice | null;
}

function when(at: number, now: number): SafeHtml {
  const iso = new Date(at).toISOString();
  return html`<time datetime="${iso}">${relativeTime(at, now)}</time><span class="exact">${exactTime(at)}</span>`;
}

function meta(items: Array<[label: string, value: SafeHtml | string]>): SafeHtml {
  return html`<dl class="meta">${items.map(([label, value]) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`)}</dl>`;
}

function initial(name: string): string {
  return (/[\p{L}\p{N}]/u.exec(name)?.[0] ?? '?').toUpperCase();
}

function noticeBanner(notice: AccountNotice | null | undefined): SafeHtml | string {
  if (!notice) return '';
  if (notice.kind === 'revoked') {
    return html`<div class="alert ok" role="status"><strong>${notice.clientName}</strong> was signed out. Its refresh token no longer works, and it must ask you to sign in again.</div>`;
  }
  if (notice.kind === 'browser-signed-out') {
    return html`<div class="alert ok" role="status"><strong>${notice.device}</strong> was signed out. That browser must sign in again to use your account.</div>`;
  }
  const apps =
    notice.count === 0
      ? html`There were no apps to sign out.`
      : html`<strong>${notice.count} ${notice.count === 1 ? 'app was' : 'apps were'}</strong> signed out. None of them can get new tokens until you sign in to them again.`;
  const browsers =
    notice.browsers === 0 ? '' : html` <strong>${notice.browsers} other ${notice.browsers === 1 ? 'browser was' : 'browsers were'}</strong> signed out too.`;
  return html`<div class="alert ok" role="status">${apps}${browsers}</div>`;
}

function currentSession(s: AccountPageInput): SafeHtml {
  return html`<section class="card" aria-labelledby="this-browser">
    <h2 id="this-browser" class="card-title">This browser</h2>
    <div class="session">
      <div class="avatar current" aria-hidden="true">✓</div>
      <div class="session-main">
        <p class="session-title">${deviceHint(s.current.userAgent)} <span class="badge ok">Current session</span></p>
        <p class="session-sub">Your Keyturn sign-in on this device · times in UTC</p>
        ${meta([
          ['Signed in', when(s.current.authTime, s.now)],
          ['Expires', when(s.current.expiresAt, s.now)],
        ])}
      </div>
      <form method="post" action="/signout" class="session-action">
        <input type="hidden" name="csrf" value="${s.csrfToken}">
        <button class="btn secondary small" type="submit">Sign out</button>
      </form>
    </div>
  </section>`;
}

function browserRow(b: SsoSessionRecord, s: AccountPageInput): SafeHtml {
  const device = deviceHint(b.userAgent);
  return html`<li class="session browser" data-sso="${b.id}">
    <div class="avatar" aria-hidden="true">${initial(device)}</div>
    <div class="session-main">
      <p class="session-title">${device}</p>
      <p class="session-sub">Your Keyturn sign-in on another device or browser</p>
      ${meta([
        ['Signed in', when(b.authTime, s.now)],
        ['Expires', when(b.expiresAt, s.now)],
      ])}
    </div>
    <form method="post" action="/account/browsers/${encodeURIComponent(b.id)}/signout" class="session-action">
      <input type="hidden" name="csrf" value="${s.csrfToken}">
      <button class="btn danger small" type="submit" aria-label="Sign out ${device}, signed in ${relativeTime(b.authTime, s.now)}">Sign out</button>
    </form>
  </li>`;
}

function otherBrowsers(s: AccountPageInput): SafeHtml {
  const list =
    s.browsers.length === 0
      ? html`<div class="empty"><p class="empty-title">You are not signed in anywhere else</p>
          <p class="muted">When you sign in to Keyturn in another browser or on another computer, it shows up here, and you can sign it out from here.</p></div>`
      : html`<ul class="sessions">${s.browsers.map((b) => browserRow(b, s))}</ul>`;
  return html`<section class="card" aria-labelledby="other-browsers">
    <h2 id="other-browsers" class="card-title">Other browsers <span class="count">${s.browsers.length}</span></h2>
    ${s.browsers.length === 0 ? '' : html`<p class="muted card-lead">Each of these is signed in to Keyturn as you, and can let apps in. Signing one out ends it at once; apps it let in stay until you revoke them below.</p>`}
    ${list}
  </section>`;
}

function sessionRow(session: AccountSession, s: AccountPageInput): SafeHtml {
  const g = session.grant;
  const sub = session.clientName === session.clientId ? deviceHint(g.userAgent) : html`${deviceHint(g.userAgent)} · <code>${session.clientId}</code>`;
  return html`<li class="session" data-grant="${g.id}">
    <div class="avatar" aria-hidden="true">${initial(session.clientName)}</div>
    <div class="session-main">
      <p class="session-title">${session.clientName}${session.viaThisBrowser ? html` <span class="badge">Signed in from this browser</span>` : ''}</p>
      <p class="session-sub">${sub}</p>
      ${meta([
        ['Signed in', when(g.createdAt, s.now)],
        ['Last used', when(g.lastUsedAt, s.now)],
        ['Expires', when(g.expiresAt, s.now)],
      ])}
      <p class="scope">Access: ${g.scope.split(' ').map((sc) => html`<code>${sc}</code> `)}</p>
      ${signInAgainBy(g.expiresAt, s.now)}
    </div>
    <form method="post" action="/account/sessions/${encodeURIComponent(g.id)}/revoke" class="session-action">
      <input type="hidden" name="csrf" value="${s.csrfToken}">
      <button class="btn danger small" type="submit" aria-label="Revoke ${session.clientName}, signed in ${relativeTime(g.createdAt, s.now)}">Revoke</button>
    </form>
  </li>`;
}

function appSessions(s: AccountPageInput): SafeHtml {
  const list =
    s.sessions.length === 0
      ? html`<div class="empty"><p class="empty-title">No apps are signed in as you</p>
          <p class="muted">When you let an app use your Keyturn account, it shows up here, and you can sign it out at any time.</p></div>`
      : html`<ul class="sessions">${s.sessions.map((session) => sessionRow(session, s))}</ul>`;
  return html`<section class="card" aria-labelledby="apps">
    <h2 id="apps" class="card-title">Apps and devices <span class="count">${s.sessions.length}</span></h2>
    ${s.sessions.length === 0 ? '' : html`<p class="muted card-lead">Each of these can get new access tokens for you. Revoking one signs it out at once.</p>`}
    ${list}
  </section>`;
}

function revokeAll(s: AccountPageInput): SafeHtml | string {
  const apps = s.sessions.length;
  const browsers = s.browsers.length;
  if (apps === 0 && browsers === 0) return '';
  const consequences = [
    ...(apps === 0 ? [] : [html`${apps === 1 ? 'The app' : `All ${apps} apps`} will have to ask you to sign in again.`]),
    ...(browsers === 0 ? [] : [html`${browsers === 1 ? 'The other browser' : `All ${browsers} other browsers`} will be signed out.`]),
  ];
  return html`<section class="card danger-zone" aria-labelledby="revoke-all">
    <h2 id="revoke-all" class="card-title">Sign out of all apps and other browsers</h2>
    <p class="muted card-lead">Lost a device or shared a password? This signs out every app and every other browser above at once. You stay signed in to Keyturn in this browser.</p>
    <details class="confirm">
      <summary class="btn danger">Revoke all…</summary>
      <form method="post" action="/account/sessions/revoke-all" class="confirm-body">
        <input type="hidden" name="csrf" value="${s.csrfToken}">
        <p>${consequences.map((c, i) => (i === 0 ? c : html` ${c}`))}</p>
        <button class="btn danger-solid" type="submit">Yes, revoke all ${apps + browsers}</button>
      </form>
    </details>
  </section>`;
}

/**
 * The whole page.
 *
 * @example
 * ```ts
 * reply.type('text/html; charset=utf-8').send(accountPage({ email, name, current, browsers, sessions, csrfToken, now: kt.now() }));
 * ```
 */
export function accountPage(s: AccountPageInput): string {
  const body = html`<div class="page-head">
      <h1>Sessions and devices</h1>
      <p class="lead">Signed in as <strong>${s.name ?? s.email}</strong>${s.name ? html` (${s.email})` : ''}. Check where your account is in use, and sign out anything you do not recognise.</p>
    </div>
    ${noticeBanner(s.notice)}
    ${currentSession(s)}
    ${otherBrowsers(s)}
    ${appSessions(s)}
    ${revokeAll(s)}`;
  return layout({ title: 'Sessions and devices', body, signedInAs: s.email, csrfToken: s.csrfToken });
}
