/**
 * fast-check arbitraries of malformed HTTP requests to a running server. Most start from a valid
 * request to some route (a refresh with the client's secret, a sign-in with its CSRF pair) and
 * break it a little: a field dropped, repeated, nested, replaced by junk or badly encoded, the
 * content type, cookie or Authorization header swapped, the method changed; the rest are noise
 * to any route or to none. Starting from valid requests is what lets the handlers' code, not only
 * the first check, see the junk.
 */
import fc from 'fast-check';
import type { RawRequest } from './rawRequest.js';

/** A field or header as written: name, value. */
export type Pair = [string, string];

/** A valid request to one route, to mutate. */
export interface Template {
  method: string;
  /** The path; `:name` parameters are filled in with generated values. */
  path: string;
  query: Pair[];
  /** Form fields of the body (`null`: no body). */
  form: Pair[] | null;
  headers: Pair[];
}

/** What the generator draws from besides noise. */
export interface FuzzContext {
  /** One or more valid requests per route. */
  templates: Template[];
  /** Real values of the server under test: ids, secrets, tokens, emails, a redirect URI. */
  values: string[];
  /** Real `Cookie` header values and real `Authorization` header values. */
  cookies: string[];
  authorizations: string[];
}

/** Parameter names the routes read, and a few that none does. */
const NAMES = ['client_id', 'client_secret', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'access_type', 'prompt', 'max_age', 'grant_type', 'code', 'code_verifier', 'refresh_token', 'token', 'token_type_hint', 'token_format', 'access_token', 'email', 'password', 'csrf', 'return_to', '__proto__', 'constructor', ''];

const WORDS = ['code', 'S256', 'plain', 'openid', 'offline_access', 'openid profile email', 'none', 'login', 'authorization_code', 'refresh_token', 'access_token', 'jwt', '0', '-1', '1e309', 'NaN', 'null', '[]', '{}', 'toString', 'v3.', 'Basic', 'Bearer', 'javascript:alert(1)', '//evil.example', '/account', 'http://127.0.0.1:9/callback', '\u0000', '\r\n', 'é', '💥'];

const BROKEN_ENCODINGS = ['%', '%z', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF%FE', '%00', '%0D%0A', '+%2B+', '%25', '%u0041', '\u00ff\u00fe'];

const CONTENT_TYPES = ['application/x-www-form-urlencoded; charset=utf-8', 'application/x-www-form-urlencoded; charset=utf-16', 'APPLICATION/X-WWW-FORM-URLENCODED', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded;;;', 'x', ''];

const ODD_HEADERS = ['Origin', 'Referer', 'X-Forwarded-For', 'User-Agent', 'Accept', 'Content-Encoding', 'Transfer-Encoding', 'Expect', 'Accept-Charset'];

const METHODS = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'get', 'FOO', 'CONNECT', 'TRACE'];

const STRAY_PATHS = ['/%', '/%zz', '//', '/..%2f..%2fetc/passwd', '/api/', '/.well-known/x', '/signin/', '/SIGNIN', '*', '/\u00e9', '/api/authz/v3/oauth/token/../token'];

/** A value: a real one, a word, noise, a broken escape, or something long. */
function value(ctx: FuzzContext): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ctx.values) },
    { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom(...BROKEN_ENCODINGS) },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 9000 }).map((n) => 'x'.repeat(n)) },
  );
}

/** One change to a request: a function of the template it applies to. */
type Mutation = (t: Template) => Template;

const setIn = (pairs: Pair[], name: string, v: string): Pair[] => [...pairs.filter(([k]) => k !== name), [name, v]];
const pick = <T>(items: T[], i: number): T | undefined => items[i % Math.max(items.length, 1)];

/** The changes the generator makes, each to query or form fields, headers, method or body. */
function mutation(ctx: FuzzContext): fc.Arbitrary<Mutation> {
  const field = fc.constantFrom<'query' | 'form'>('query', 'form');
  const onFields = (where: 'query' | 'form', t: Template, change: (pairs: Pair[]) => Pair[]): Template =>
    where === 'form' && t.form !== null ? { ...t, form: change(t.form) } : { ...t, query: change(t.query) };
  return fc.oneof(
    fc.tuple(field, fc.nat(), fc.constantFrom(...NAMES), value(ctx)).map(([where, i, name, v]): Mutation => (t) => onFields(where, t, (ps) => setIn(ps, pick(ps, i)?.[0] ?? name, v))),
    fc.tuple(field, fc.constantFrom(...NAMES), value(ctx)).map(([where, name, v]): Mutation => (t) => onFields(where, t, (ps) => [...ps, [name, v]])),
    fc.tuple(field, fc.nat(), value(ctx)).map(([where, i, v]): Mutation => (t) => onFields(where, t, (ps) => { const p = pick(ps, i); return p ? [...ps, [p[0], v]] : ps; })),
    fc.tuple(field, fc.nat()).map(([where, i]): Mutation => (t) => onFields(where, t, (ps) => ps.filter((_, j) => j !== i % Math.max(ps.length, 1)))),
    fc.tuple(field, fc.nat(), fc.constantFrom('[]', '[a]', '[0][1]', '.x')).map(([where, i, suffix]): Mutation => (t) => onFields(where, t, (ps) => ps.map(([k, v], j) => (j === i % Math.max(ps.length, 1) ? [k + suffix, v] : [k, v])))),
    fc.tuple(field, fc.nat(), fc.constantFrom(...BROKEN_ENCODINGS)).map(([where, i, junk]): Mutation => (t) => onFields(where, t, (ps) => ps.map(([k, v], j): Pair => (j === i % Math.max(ps.length, 1) ? [k, `\u0001RAW${v}${junk}`] : [k, v])))),
    fc.constantFrom(...CONTENT_TYPES).map((type): Mutation => (t) => ({ ...t, headers: setIn(t.headers, 'Content-Type', type) })),
    fc.constantFrom('Content-Type', 'Cookie', 'Authorization').map((name): Mutation => (t) => ({ ...t, headers: t.headers.filter(([k]) => k !== name) })),
    fc.oneof(fc.constantFrom(...ctx.authorizations), value(ctx).map((v) => `Basic ${Buffer.from(v, 'latin1').toString('base64')}`), value(ctx).map((v) => `Bearer ${v}`), fc.constantFrom('Basic', 'Basic ===', 'Basic Og==', 'Bearer', 'Digest x', 'basic YTpi', 'Basic YTpi YTpi')).map(
      (auth): Mutation => (t) => ({ ...t, headers: [...t.headers, ['Authorization', auth]] }),
    ),
    fc.oneof(fc.constantFrom(...ctx.cookies), fc.constantFrom(';;=;', 'npsso', 'npsso="unterminated', 'npsso=a; npsso=b', '=\u00ff'), value(ctx).map((v) => `npsso=${v}`)).map(
      (cookie): Mutation => (t) => ({ ...t, headers: [...t.headers, ['Cookie', cookie]] }),
    ),
    fc.tuple(fc.constantFrom(...ODD_HEADERS), value(ctx)).map(([name, v]): Mutation => (t) => ({ ...t, headers: [...t.headers, [name, v]] })),
    fc.constantFrom(...METHODS).map((method): Mutation => (t) => ({ ...t, method })),
  );
}

/** `name=value&…` as a form encodes it; a value marked `\u0001RAW` is written as it is. */
function encode(pairs: Pair[]): string {
  const part = (s: string) => (s.startsWith('\u0001RAW') ? s.slice(4) : encodeURIComponent(s));
  return pairs.map(([k, v]) => `${part(k)}=${part(v)}`).join('&');
}

/** The request a (mutated) template stands for, its `:params` filled in with `param`. */
function toRequest(t: Template, param: string, body: string | null): RawRequest {
  const path = t.path.replace(/:\w+/g, () => encodeURIComponent(param));
  return {
    method: t.method,
    target: t.query.length > 0 ? `${path}?${encode(t.query)}` : path,
    headers: t.headers.map(([k, v]): Pair => [k, v.replace(/[\r\n]/g, ' ')]),
    body: Buffer.from(body ?? (t.form === null ? '' : encode(t.form)), 'latin1'),
  };
}

/**
 * A malformed request: mostly a valid one from `ctx.templates` with one to four changes (now and
 * then with a body of JSON, raw bytes or 70 kB in place of its form), else noise.
 *
 * @example
 * ```ts
 * await fc.assert(fc.asyncProperty(malformedRequest(ctx), async (req) => expect((await sendRaw(s.url, req)).status).toBeLessThan(500)));
 * ```
 */
export function malformedRequest(ctx: FuzzContext): fc.Arbitrary<RawRequest> {
  const otherBody = fc.oneof(
    { weight: 3, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')) },
    { weight: 1, arbitrary: fc.constant('x'.repeat(70_000)) },
  );
  const mutated = fc
    .record({ template: fc.constantFrom(...ctx.templates), changes: fc.array(mutation(ctx), { minLength: 1, maxLength: 4 }), param: value(ctx), body: fc.option(otherBody, { freq: 8 }) })
    .map(({ template, changes, param, body }) => toRequest(changes.reduce((t, change) => change(t), template), param, body));
  const noise = fc
    .record({ method: fc.constantFrom(...METHODS), path: fc.constantFrom(...STRAY_PATHS, ...ctx.templates.map((t) => t.path)), query: fc.string({ unit: 'binary', maxLength: 60 }), body: fc.string({ unit: 'binary', maxLength: 200 }) })
    .map(({ method, path, query, body }): RawRequest => ({ method, target: `${path}?${query}`, headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: Buffer.from(body, 'latin1') }));
  return fc.oneof({ weight: 5, arbitrary: mutated }, { weight: 1, arbitrary: noise });
}
