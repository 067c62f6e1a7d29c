/** The account page's security sections: changing the password, and the person's own recent security events. */
import type { AuditEventRecord } from '../../storage/records.js';
import { exactTime, relativeTime } from './format.js';
import { html, type SafeHtml } from './html.js';

/** What the person reads for each kind of event; the raw type for any other. */
const LABELS: Record<string, string> = {
  'signin.succeeded': 'Signed in',
  'signin.failed': 'Failed sign-in',
  'signin.locked': 'Sign-in locked after too many failures',
  'signin.disabled': 'Sign-in refused: account disabled',
  signout: 'Signed out',
  'grant.issued': 'App signed in',
  'refresh.reuse_detected': 'App signed out: its refresh token was used twice, maybe stolen',
  'grant.revoked': 'App signed out',
  'access_token.revoked': 'Access token revoked by an app',
  'sessions.revoked': 'Signed out of all apps and other browsers',
  'browser.signed_out': 'Another browser signed out',
  'password.changed': 'Password changed',
  'user.added': 'Account created',
  'user.disabled': 'Account disabled',
  'user.enabled': 'Account enabled',
};

/** What the page needs for its security sections. */
export interface SecuritySectionsInput {
  csrfToken: string;
  now: number;
  /** The person's newest security events, newest first. */
  events: AuditEventRecord[];
  /** Why the last password change was refused, shown above the form. */
  passwordError?: string | null | undefined;
}

function eventRow(e: AuditEventRecord, now: number): SafeHtml {
  const where = [e.clientId ? html`app <code>${e.clientId}</code>` : '', e.address ? html`from ${e.address}` : '', e.actor === 'operator' ? 'by the administrator' : '']
    .filter((part) => part !== '')
    .map((part, i) => (i === 0 ? part : html` · ${part}`));
  return html`<li class="event" data-event="${e.type}">
    <p class="session-title">${LABELS[e.type] ?? e.type}</p>
    <p class="session-sub"><time datetime="${new Date(e.time).toISOString()}">${relativeTime(e.time, now)}</time> · ${exactTime(e.time)}${where.length > 0 ? html` · ${where}` : ''}</p>
  </li>`;
}

function passwordForm(s: SecuritySectionsInput): SafeHtml {
  return html`<section class="card" aria-labelledby="password">
    <h2 id="password" class="card-title">Password</h2>
    <p class="muted card-lead">At least 8 characters; 12 or more recommended. A few unrelated words are easy to remember and hard to guess. Changing it signs out every app and every other browser; this one stays signed in.</p>
    ${s.passwordError ? html`<div class="alert bad" role="alert">${s.passwordError}</div>` : ''}
    <form method="post" action="/account/password" class="password-form">
      <input type="hidden" name="csrf" value="${s.csrfToken}">
      <label for="current-password">Current password</label>
      <input id="current-password" name="current_password" type="password" autocomplete="current-password" required>
      <label for="new-password">New password</label>
      <input id="new-password" name="new_password" type="password" autocomplete="new-password" minlength="8" maxlength="1024" required>
      <label for="new-password-again">New password again</label>
      <input id="new-password-again" name="new_password_again" type="password" autocomplete="new-password" minlength="8" maxlength="1024" required>
      <button class="btn secondary" type="submit">Change password</button>
    </form>
  </section>`;
}

function recentEvents(s: SecuritySectionsInput): SafeHtml {
  const list =
    s.events.length === 0
      ? html`<div class="empty"><p class="muted">Nothing yet.</p></div>`
      : html`<ul class="sessions events">${s.events.map((e) => eventRow(e, s.now))}</ul>`;
  return html`<section class="card" aria-labelledby="security-events">
    <h2 id="security-events" class="card-title">Recent security events</h2>
    <p class="muted card-lead">Sign-ins, apps let in and signed out, and changes to your account. Something you do not recognise? Change your password and sign out everywhere.</p>
    ${list}
  </section>`;
}

/**
 * The password form and the recent security events, below the sessions.
 *
 * @example
 * ```ts
 * html`${securitySections({ csrfToken, now: kt.now(), events, passwordError: null })}`;
 * ```
 */
export function securitySections(s: SecuritySectionsInput): SafeHtml {
  return html`${passwordForm(s)}${recentEvents(s)}`;
}

/**
 * The confirmation after a password change, with what it signed out.
 *
 * @example
 * ```ts
 * passwordChangedBanner(1, 2); // '…Your password was changed. 1 app and 2 other browsers were signed out…'
 * ```
 */
export function passwordChangedBanner(apps: number, browsers: number): SafeHtml {
  const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return html`<div class="alert ok" role="status"><strong>Your password was changed.</strong> ${counted(apps, 'app', 'apps')} and ${counted(browsers, 'other browser', 'other browsers')} were signed out; this browser stays signed in.</div>`;
}
