/**
 * Raw HTTP for tests: one request exactly as given (any header, any body, any source loopback
 * address, no redirect followed, no cookie kept), and reading the cookies and forms it answers.
 */
import http from 'node:http';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** How long the request took, in ms (sign-in slows down repeated failures). */
  ms: number;
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Source address (127.0.0.x), so one test can play several machines. */
  from?: string;
  /** How to decode the body; `latin1` keeps bytes that are not UTF-8 as they are. */
  encoding?: BufferEncoding;
}

/** The header of a form POST. */
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' } as const;

/** The Accept header a browser sends for a page (endpoints answer programs with JSON, browsers with HTML). */
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/**
 * One HTTP request exactly as given, on its own connection. An error after the answer has
 * begun (the server may answer a too-large body and close before it is all written) is ignored.
 *
 * @example
 * ```ts
 * const res = await raw(`${s.url}/signin`, { method: 'POST', headers: FORM, body: 'email=x', from: '127.0.0.2' });
 * ```
 */
export function raw(url: string, opts: RawOptions = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
    let answered = false;
    const req = http.request(url, { method: opts.method ?? 'GET', headers, agent: false, ...(opts.from ? { localAddress: opts.from } : {}) }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(opts.encoding ?? 'utf8'), ms: performance.now() - started }),
      );
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.end(opts.body);
  });
}

/** The Set-Cookie lines of an answer. */
export function setCookies(a: Answer): string[] {
  return a.headers['set-cookie'] ?? [];
}

/** The full Set-Cookie line for `name`, or undefined. */
export function setCookieLine(a: Answer, name: string): string | undefined {
  return setCookies(a).find((c) => c.split('=')[0]!.trim() === name);
}

/** The value `name` is set to in these Set-Cookie lines, or undefined. */
export function cookieValue(lines: string[], name: string): string | undefined {
  for (const c of lines) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    if (pair!.slice(0, eq).trim() === name) return pair!.slice(eq + 1).trim();
  }
  return undefined;
}

/** The CSRF token of the (first) form on a page, or undefined. */
export function csrfFrom(page: string): string | undefined {
  return /name="csrf" value="([^"]+)"/.exec(page)?.[1];
}
