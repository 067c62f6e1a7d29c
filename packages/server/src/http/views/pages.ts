/** The public pages: home, sign-in and the error page. */
import { html, layout, type SafeHtml } from './html.js';

export function homePage(opts: { signedInAs: string | null; csrfToken?: string }): string {
  const body = opts.signedInAs
    ? html`<section class="card"><h1>You are signed in</h1>
        <p class="lead">Signed in as <strong>${opts.signedInAs}</strong>. Apps you allow can now get tokens for you.</p>
        <p><a class="btn" href="/account">Your sessions and devices</a></p></section>`
    : html`<section class="card"><h1>Sign in once. Stay signed in safely.</h1>
        <p class="lead">Keyturn issues short-lived access tokens and long-lived refresh tokens for your apps and bots.</p>
        <p><a class="btn" href="/signin">Sign in</a></p></section>`;
  return layout({ title: 'Home', body, signedInAs: opts.signedInAs, csrfToken: opts.csrfToken });
}

export function signInPage(opts: { csrfToken: string; returnTo?: string | undefined; email?: string | undefined; error?: string | undefined }): string {
  const error: SafeHtml | string = opts.error ? html`<div class="alert bad" role="alert">${opts.error}</div>` : '';
  const body = html`<section class="card narrow">
    <h1>Sign in</h1>
    <p class="lead">Use your Keyturn account.</p>
    ${error}
    <form method="post" action="/signin" novalidate>
      <input type="hidden" name="csrf" value="${opts.csrfToken}">
      ${opts.returnTo ? html`<input type="hidden" name="return_to" value="${opts.returnTo}">` : ''}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required value="${opts.email ?? ''}" autofocus>
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>
      <button class="btn block" type="submit">Sign in</button>
    </form>
  </section>`;
  return layout({ title: 'Sign in', body });
}

export function errorPage(title: string, detail: string): string {
  return layout({ title, body: html`<section class="card narrow"><h1>${title}</h1><p class="lead">${detail}</p><p><a href="/">Back to Keyturn</a></p></section>` });
}
