/**
 * Helpers of the attack tests: raw HTTP (any header, any source loopback address, nothing
 * followed), a cookie-keeping "browser" that fills in the CSRF token of the forms, and
 * checks for what a response must never show.
 */
import http from 'node:http';
import { cookieValue } from '../../test-support/server.js';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Source address (127.0.0.x), so one test can play several machines. */
  from?: string;
}

/** One HTTP request exactly as given: no redirect following, no cookie handling. */
export function raw(url: string, opts: RawOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
    const req = http.request(url, { method: opts.method ?? 'GET', headers, agent: false, ...(opts.from ? { localAddress: opts.from } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' } as const;

export function setCookies(a: Answer): string[] {
  return a.headers['set-cookie'] ?? [];
}

/** The full Set-Cookie line for `name`, or undefined. */
export function setCookieLine(a: Answer, name: string): string | undefined {
  return setCookies(a).find((c) => c.split('=')[0]!.trim() === name);
}

export function csrfFrom(body: string): string | undefined {
  return /name="csrf" value="([^"]+)"/.exec(body)?.[1];
}

/** A browser with its own cookie jar: it keeps every cookie the server sets and sends them back. */
export class Browser {
  readonly jar = new Map<string, string>();
  constructor(
    readonly base: string,
    readonly from?: string,
  ) {}

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

  async get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    const cookie = this.cookieHeader();
    return this.keep(await raw(this.base + path, { headers: { ...(cookie ? { cookie } : {}), ...headers }, ...(this.from ? { from: this.from } : {}) }));
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    const cookie = this.cookieHeader();
    return this.keep(
      await raw(this.base + path, {
        method: 'POST',
        headers: { ...FORM, ...(cookie ? { cookie } : {}), ...headers },
        body: new URLSearchParams(form).toString(),
        ...(this.from ? { from: this.from } : {}),
      }),
    );
  }

  /** The CSRF token of the form on `path` (loading it sets the CSRF cookie on first use). */
  async csrf(path = '/signin'): Promise<string> {
    const page = await this.get(path);
    const token = csrfFrom(page.body);
    if (!token) throw new Error(`no CSRF token on ${path} (status ${page.status})`);
    return token;
  }

  /** Signs in through the form; returns the answer (303 on success). */
  async signIn(email: string, password: string, extra: Record<string, string> = {}): Promise<Answer> {
    const csrf = await this.csrf('/signin');
    return this.post('/signin', { email, password, csrf, ...extra });
  }

  get npsso(): string | undefined {
    return this.jar.get('npsso');
  }
}

export { cookieValue };

/** Fragments that would show a stack trace, a SQL error or a server file path. */
export const LEAK_PATTERNS: RegExp[] = [
  /\bat [\w.<>]+ \(/, // stack frame "at fn (file:line)"
  /\bat (?:file|node):/,
  /\.(?:ts|js):\d+(?::\d+)?/,
  /\/(?:work|home|tmp|usr|root|node_modules)\//,
  /\bSELECT\b[\s\S]*\bFROM\b/i,
  /\bINSERT INTO\b/i,
  /\bUPDATE \w+ SET\b/i,
  /\bSQLITE_\w+/,
  /\bsyntax error\b/i,
  /\brelation "\w+"/,
  /\bTypeError\b|\bReferenceError\b|\bRangeError\b/,
];

/** The first leak pattern found in `text`, or null. */
export function leakIn(text: string): string | null {
  for (const p of LEAK_PATTERNS) {
    const m = p.exec(text);
    if (m) return `${p} matched "${m[0]}"`;
  }
  return null;
}
