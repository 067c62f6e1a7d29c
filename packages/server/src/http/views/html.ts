/** HTML escaping and the page layout every server-rendered page shares. */

/** Escapes text for element content and double-quoted attributes. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A piece of HTML that is already safe; built with `html` tagged templates. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template that escapes every interpolation unless it is `SafeHtml` (or an array of them). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(v: unknown): string {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return esc(v);
}

export interface LayoutOptions {
  title: string;
  body: SafeHtml;
  /** Email of the signed-in person, shown in the header. */
  signedInAs?: string | null | undefined;
  csrfToken?: string | undefined;
}

export function layout({ title, body, signedInAs, csrfToken }: LayoutOptions): string {
  const nav = signedInAs
    ? html`<nav class="nav"><a href="/account">Account</a>
        <form method="post" action="/signout" class="inline"><input type="hidden" name="csrf" value="${csrfToken ?? ''}"><button class="link" type="submit">Sign out</button></form></nav>`
    : html`<nav class="nav"><a href="/signin">Sign in</a></nav>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Keyturn</title>
<link rel="stylesheet" href="/assets/keyturn.css">
</head>
<body>
<header class="top"><a class="brand" href="/"><span class="logo" aria-hidden="true">⚿</span> Keyturn</a>${nav.value}</header>
<main class="main">${body.value}</main>
<footer class="foot">Keyturn · tokens done right</footer>
</body>
</html>`;
}
