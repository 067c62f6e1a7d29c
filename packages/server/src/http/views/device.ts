/** The /device pages of device sign-in (RFC 8628): enter the code, see who asks for what and answer, and the outcome. */
import { exactDay } from './signInAgainBy.js';
import { html, layout, type SafeHtml } from './html.js';

/** Who is signed in, and the CSRF token of this browser's forms. */
export interface DevicePageBase {
  email: string;
  csrfToken: string;
}

/** What a scope lets the app do, in words; unknown scopes are shown by name only. */
const SCOPE_WORDS: Record<string, string> = {
  openid: 'Know who you are',
  profile: 'See your name',
  email: 'See your email address',
  offline_access: 'Stay signed in until you revoke it',
};

function page(title: string, base: DevicePageBase, content: SafeHtml): string {
  const body = html`<section class="card narrow device">
    ${content}
    <p class="muted small signed-in-as">Signed in to Keyturn as <strong>${base.email}</strong>.</p>
  </section>`;
  return layout({ title, body, signedInAs: base.email, csrfToken: base.csrfToken });
}

/**
 * The form to type the code a device shows (prefilled when the device's link carried it).
 *
 * @example
 * ```ts
 * reply.type('text/html; charset=utf-8').send(deviceCodePage({ email, csrfToken, userCode: 'WDJB-MJHT' }));
 * ```
 */
export function deviceCodePage(opts: DevicePageBase & { userCode?: string; error?: string }): string {
  return page(
    'Sign in a device',
    opts,
    html`<h1>Sign in a device</h1>
    <p class="lead">Enter the code that your TV, bot or command line shows.</p>
    ${opts.error ? html`<div class="alert bad" role="alert">${opts.error}</div>` : ''}
    <form method="post" action="/device" novalidate>
      <input type="hidden" name="csrf" value="${opts.csrfToken}">
      <label for="user_code">Code</label>
      <input id="user_code" name="user_code" type="text" class="code-input" value="${opts.userCode ?? ''}" placeholder="XXXX-XXXX" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="20" required autofocus>
      <button class="btn block" type="submit">Continue</button>
    </form>`,
  );
}

/** The request the person is asked about. */
export interface DeviceConsent {
  clientName: string;
  clientId: string;
  userCode: string;
  scopes: string[];
  /** When the person will have to sign the device in again. */
  signInAgainBy: number;
  now: number;
}

function scopeItem(scope: string): SafeHtml {
  const words = SCOPE_WORDS[scope];
  return html`<li>${words ? html`<span>${words}</span> ` : ''}<code>${scope}</code></li>`;
}

/**
 * Which app asks for what, and the Approve and Deny buttons.
 *
 * @example
 * ```ts
 * reply.type('text/html; charset=utf-8').send(deviceConsentPage({ email, csrfToken, request: { clientName, clientId, userCode, scopes, signInAgainBy } }));
 * ```
 */
export function deviceConsentPage(opts: DevicePageBase & { request: DeviceConsent }): string {
  const r = opts.request;
  return page(
    `Allow ${r.clientName}?`,
    opts,
    html`<h1>Allow <span class="app-name">${r.clientName}</span> to use your account?</h1>
    <p class="lead">Only allow it if you started this sign-in yourself and your device shows this code:</p>
    <p class="user-code"><span class="muted">Code</span> <strong>${r.userCode}</strong></p>
    <div class="asks">
      <p class="asks-title"><strong>${r.clientName}</strong>${r.clientName === r.clientId ? '' : html` <code>${r.clientId}</code>`} asks to:</p>
      <ul class="scopes">${r.scopes.map(scopeItem)}</ul>
      <p class="muted keeps">It keeps this access until you revoke it on your <a href="/account">account page</a>. You will have to sign it in again by <strong>${exactDay(r.signInAgainBy, r.now)}</strong>.</p>
    </div>
    <form method="post" action="/device" class="choices">
      <input type="hidden" name="csrf" value="${opts.csrfToken}">
      <input type="hidden" name="user_code" value="${r.userCode}">
      <button class="btn" type="submit" name="action" value="approve">Approve</button>
      <button class="btn secondary" type="submit" name="action" value="deny">Deny</button>
    </form>`,
  );
}

/**
 * The outcome: the device is signed in, or the request was denied.
 *
 * @example
 * ```ts
 * reply.type('text/html; charset=utf-8').send(deviceDonePage({ email, csrfToken, clientName: 'Trophy Bot', approved: true }));
 * ```
 */
export function deviceDonePage(opts: DevicePageBase & { clientName: string; approved: boolean }): string {
  const content = opts.approved
    ? html`<h1>Device signed in</h1>
      <div class="alert ok" role="status"><strong>${opts.clientName}</strong> can now use your account. Go back to your device: it continues on its own.</div>
      <p class="muted">You can see it and revoke it at any time under <a href="/account">Sessions and devices</a>.</p>`
    : html`<h1>Request denied</h1>
      <div class="alert ok" role="status"><strong>${opts.clientName}</strong> was not signed in. You can close this page.</div>
      <p class="muted">If you did not start this sign-in, someone may have your device's code; nothing was shared with them.</p>`;
  return page(opts.approved ? 'Device signed in' : 'Request denied', opts, content);
}
