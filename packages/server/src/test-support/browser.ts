/**
 * A browser over raw HTTP, for the tests of pages and forms: it keeps every cookie the server
 * sets and sends them back, fills in the CSRF token of the forms, and can play any loopback
 * address and User-Agent. (A real Chromium is in `chromium.ts`.)
 */
import { expect } from 'vitest';
import { BROWSER_ACCEPT, csrfFrom, FORM, raw, setCookies, type Answer } from './http.js';
import type { Person } from './people.js';
import { urlOf, type Target } from './paths.js';

export interface BrowserOptions {
  /** Source address (127.0.0.x) of every request. */
  from?: string;
  /** The User-Agent header of every request. */
  userAgent?: string;
}

/**
 * A browser of its own: a cookie jar, a source address and a User-Agent.
 *
 * @example
 * ```ts
 * const browser = await Browser.signedIn(s, ada, { from: '127.0.4.2', userAgent: UA.chromeMac });
 * const account = await browser.get('/account');
 * ```
 */
export class Browser {
  readonly jar = new Map<string, string>();
  readonly base: string;

  constructor(
    target: Target,
    readonly options: BrowserOptions = {},
  ) {
    this.base = urlOf(target);
  }

  /** A browser that signed in as `person` through the form (asserts the 303). */
  static async signedIn(target: Target, person: Pick<Person, 'email' | 'password'>, options: BrowserOptions = {}): Promise<Browser> {
    const browser = new Browser(target, options);
    expect((await browser.signIn(person.email, person.password)).status).toBe(303);
    return browser;
  }

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(a: Answer): Answer {
    for (const line of setCookies(a)) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((x) => /^\s*max-age=0\s*$/i.test(x) || /^\s*expires=thu, 01 jan 1970/i.test(x));
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return a;
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    const cookie = this.cookieHeader();
    // What a browser sends for a page: some endpoints answer programs with JSON and browsers with HTML.
    return { accept: BROWSER_ACCEPT, ...(this.options.userAgent ? { 'user-agent': this.options.userAgent } : {}), ...(cookie ? { cookie } : {}), ...extra };
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.keep(await raw(this.base + path, { headers: this.headers(headers), ...(this.options.from ? { from: this.options.from } : {}) }));
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    return this.keep(
      await raw(this.base + path, {
        method: 'POST',
        headers: this.headers({ ...FORM, ...headers }),
        body: new URLSearchParams(form).toString(),
        ...(this.options.from ? { from: this.options.from } : {}),
      }),
    );
  }

  /** The CSRF token of the form on `path` (loading it sets the CSRF cookie on first use). */
  async csrf(path = '/signin', headers: Record<string, string> = {}): Promise<string> {
    const page = await this.get(path, headers);
    const token = csrfFrom(page.body);
    if (!token) throw new Error(`no CSRF token on ${path} (status ${page.status})`);
    return token;
  }

  /** Signs in through the form, `headers` on both requests; returns the answer (303 on success). */
  async signIn(email: string, password: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Answer> {
    const csrf = await this.csrf('/signin', headers);
    return this.post('/signin', { email, password, csrf, ...extra }, headers);
  }

  get npsso(): string | undefined {
    return this.jar.get('npsso');
  }
}

/**
 * A source of fresh loopback addresses (`127.0.4.10`, `127.0.4.11`, …), so that each test plays
 * its own machine and the failed attempts of one never throttle another.
 *
 * @example
 * ```ts
 * const address = addresses();
 * const browser = new Browser(s, { from: address() });
 * ```
 */
export function addresses(prefix = '127.0.4.', first = 10): () => string {
  let next = first;
  return () => `${prefix}${next++}`;
}
