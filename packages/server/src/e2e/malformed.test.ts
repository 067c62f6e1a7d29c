/**
 * Junk at every endpoint, on both backends: repeated and nested parameters, huge values, bad
 * percent-encoding, NUL bytes, non-UTF-8, wrong content types, JSON where a form belongs,
 * empty and 1 MB bodies, broken Basic headers and cookies. Every answer must be a 4xx (or a
 * normal answer), JSON on API paths, and never show a stack frame or SQL.
 */
import { describe, expect, it } from 'vitest';
import { aClient, type TestClient } from '../test-support/clients.js';
import { testBackends } from '../test-support/databases.js';
import { cookieValue, csrfFrom, raw } from '../test-support/http.js';
import { METADATA_PATHS, OAUTH_BASE, PATHS } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

interface Junk {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS' | 'PATCH' | 'HEAD';
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Attach the signed-in npsso cookie and the CSRF cookie (reaches the code behind the session checks). */
  session?: boolean;
}

interface Answer {
  status: number;
  type: string;
  body: string;
  wwwAuthenticate: string;
}

async function send(url: string, junk: Junk, cookies: string): Promise<Answer> {
  const headers: Record<string, string> = { ...junk.headers };
  if (junk.session) headers.cookie = [cookies, junk.headers?.cookie].filter(Boolean).join('; ');
  const res = await raw(`${url}${junk.path}`, { method: junk.method, headers, ...(junk.body === undefined ? {} : { body: junk.body }), encoding: 'latin1' });
  return { status: res.status, type: String(res.headers['content-type'] ?? ''), body: res.body, wwwAuthenticate: String(res.headers['www-authenticate'] ?? '') };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const NUL = '%00';
const HUGE = 'A'.repeat(6000);
const BAD_QUERIES = [
  'client_id=a&client_id=b&redirect_uri=x&redirect_uri=y&scope=1&scope=2',
  'client_id[]=a&redirect_uri[x]=y&scope[0]=openid',
  `client_id=${HUGE}&redirect_uri=${HUGE}`,
  `state=${HUGE}&nonce=${HUGE.slice(0, 4000)}`,
  'client_id=%&redirect_uri=%zz&scope=%E0%A4%A&state=%C0%AF&nonce=%ED%A0%80',
  `client_id=${NUL}&redirect_uri=a${NUL}b&scope=openid${NUL}&state=${NUL}&nonce=${NUL}&response_type=code${NUL}`,
  'client_id=%FF%FE%FD&redirect_uri=%C3%28&scope=%F0%28%8C%BC',
  '&&&===&=&a==b&%3D%3D',
  'return_to=%2F%2Fevil.example&return_to=/x',
  `return_to=/${'a'.repeat(5000)}`,
  'code_challenge=%00&code_challenge_method=S256&prompt=%00&access_type=%00',
];

const FORM_BODIES: Array<[string, string | Buffer, Record<string, string>]> = [
  ['repeated fields', 'grant_type=authorization_code&grant_type=refresh_token&code=a&code=b&email=a&email=b&password=x&password=y', FORM],
  ['nested fields', 'grant_type[]=authorization_code&code[a]=b&email[]=x&password[0]=y&csrf[]=z', FORM],
  ['huge values', `grant_type=authorization_code&code=${'x'.repeat(60_000)}`, FORM],
  ['huge refresh token', `grant_type=refresh_token&refresh_token=${'x'.repeat(60_000)}`, FORM],
  ['bad percent-encoding', 'grant_type=%&code=%zz&refresh_token=%E0%A4%A&email=%ED%A0%80&password=%C0%AF&csrf=%', FORM],
  ['NUL bytes', `grant_type=authorization_code${NUL}&code=${NUL}&redirect_uri=${NUL}&scope=${NUL}&client_id=${NUL}&email=a${NUL}@b.c&password=${NUL}`, FORM],
  ['NUL in refresh grant', `grant_type=refresh_token&refresh_token=a${NUL}b&scope=openid${NUL}`, FORM],
  ['raw non-UTF-8 bytes', Buffer.from([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x3d, 0xff, 0xfe, 0x26, 0x63, 0x6f, 0x64, 0x65, 0x3d, 0xc3, 0x28, 0x80]), FORM],
  ['non-UTF-8 charset', Buffer.from('grant_type=authorization_code&code=\xe9\xe8&email=\xe9', 'latin1'), { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' }],
  ['JSON body', JSON.stringify({ grant_type: 'authorization_code', code: 'x', email: 'a@b.c', password: 'x' }), { 'content-type': 'application/json' }],
  ['JSON array body', '[1,2,3]', { 'content-type': 'application/json' }],
  ['JSON with arrays', JSON.stringify({ grant_type: ['refresh_token'], refresh_token: { a: 1 }, email: ['a'], password: null }), { 'content-type': 'application/json' }],
  ['broken JSON', '{"grant_type": "authorization_code", ', { 'content-type': 'application/json' }],
  ['JSON null', 'null', { 'content-type': 'application/json' }],
  ['empty form', '', FORM],
  ['no content type', 'grant_type=authorization_code&code=x', {}],
  ['text/plain', 'grant_type=authorization_code&code=x', { 'content-type': 'text/plain' }],
  ['multipart', '--b\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nauthorization_code\r\n--b--\r\n', { 'content-type': 'multipart/form-data; boundary=b' }],
  ['xml', '<grant_type>x</grant_type>', { 'content-type': 'application/xml' }],
  ['garbage content type', 'x', { 'content-type': ';;;=/=' }],
  ['1 MB form', `grant_type=authorization_code&code=${'x'.repeat(1024 * 1024)}`, FORM],
  ['1 MB JSON', JSON.stringify({ code: 'x'.repeat(1024 * 1024) }), { 'content-type': 'application/json' }],
];

const BAD_AUTH = [
  'Basic',
  'Basic ',
  'Basic ====',
  'Basic !!!',
  `Basic ${Buffer.from(':').toString('base64')}`,
  `Basic ${Buffer.from('%:%').toString('base64')}`,
  `Basic ${Buffer.from('%ZZ:%E0%A4%A').toString('base64')}`,
  `Basic ${Buffer.from([0xff, 0xfe, 0x3a, 0xc3, 0x28]).toString('base64')}`,
  `Basic ${Buffer.from('a\u0000b:c\u0000d').toString('base64')}`,
  `Basic ${Buffer.from(`%00:${'s'.repeat(20)}`).toString('base64')}`,
  `Basic ${Buffer.from(`${'i'.repeat(3000)}:${'s'.repeat(3000)}`).toString('base64')}`,
  'Bearer abc.def.ghi',
  'Digest username="x"',
  'basic dGVzdDp0ZXN0 extra',
];

const BAD_COOKIES = ['npsso=%FF%FE', `npsso=${'A'.repeat(8000)}`, ';;;=;=x;', 'npsso="unterminated', 'npsso=a; npsso=b', `npsso=${'a'.repeat(63)}${NUL}`, 'kt_csrf=%E0%A4%A; npsso=%'];

const BAD_PATHS = ['/api/%', `${OAUTH_BASE}/%E0%A4%A`, '/api/v1/%00', '/.well-known/%zz', '/%C0%AF', `/api/${'x'.repeat(6000)}`, '/signin/%', `${PATHS.token}/..%2f..%2f`];

function junkTable(csrf: string, web: TestClient): Junk[] {
  const gets = [PATHS.authorize, PATHS.ssoCookie, PATHS.jwks, PATHS.userinfo, PATHS.signin, PATHS.account, '/', ...METADATA_PATHS, '/assets/keyturn.css'];
  const posts = [PATHS.token, PATHS.revoke, PATHS.introspect, PATHS.signin, PATHS.signout, PATHS.userinfo];
  const table: Junk[] = [];
  for (const path of gets) {
    for (const q of BAD_QUERIES) {
      table.push({ name: `GET ${path}?${q.slice(0, 60)}`, method: 'GET', path: `${path}?${q}` });
      table.push({ name: `GET ${path}?${q.slice(0, 60)} (signed in)`, method: 'GET', path: `${path}?${q}`, session: true });
    }
    for (const cookie of BAD_COOKIES) table.push({ name: `GET ${path} cookie ${cookie.slice(0, 40)}`, method: 'GET', path, headers: { cookie } });
    for (const auth of BAD_AUTH) table.push({ name: `GET ${path} authorization ${auth.slice(0, 40)}`, method: 'GET', path, headers: { authorization: auth } });
  }
  // A valid authorize request with one junk parameter, reaching issueCode with a session.
  const valid = `${new URLSearchParams({ client_id: web.id, redirect_uri: web.redirectUri }).toString()}&response_type=code&scope=openid`;
  for (const extra of ['nonce=%00', 'state=%00', 'scope=openid%00', 'code_challenge=%00&code_challenge_method=S256', `nonce=${HUGE}`, 'nonce=%ED%A0%80', 'scope=%FF', 'access_type=%00', 'prompt=%00']) {
    table.push({ name: `GET authorize (valid) + ${extra.slice(0, 50)}`, method: 'GET', path: `${PATHS.authorize}?${valid}&${extra}`, session: true });
  }
  for (const path of posts) {
    for (const [name, body, headers] of FORM_BODIES) {
      table.push({ name: `POST ${path} ${name}`, method: 'POST', path, body, headers });
      table.push({ name: `POST ${path} ${name} (Basic, session)`, method: 'POST', path, body, headers: { ...headers, authorization: web.auth! }, session: true });
    }
    for (const auth of BAD_AUTH) {
      table.push({ name: `POST ${path} authorization ${auth.slice(0, 40)}`, method: 'POST', path, body: 'grant_type=authorization_code&code=x&token=x', headers: { ...FORM, authorization: auth } });
    }
    table.push({ name: `POST ${path} with a query string`, method: 'POST', path: `${path}?grant_type=x&grant_type=y&code=%`, body: 'grant_type=authorization_code', headers: FORM });
  }
  for (const path of BAD_PATHS) {
    table.push({ name: `GET ${path.slice(0, 60)}`, method: 'GET', path });
    table.push({ name: `POST ${path.slice(0, 60)}`, method: 'POST', path, body: 'a=b', headers: FORM });
  }
  // Past the CSRF check, into sign-in itself.
  for (const fields of ['email=a%00@b.c&password=x', 'email=%00&password=%00', `email=${'a'.repeat(5000)}@b.c&password=${'p'.repeat(60_000)}`, 'email=%ED%A0%80@b.c&password=%FF', 'email[]=a&password=x', 'email=a@b.c&email=c@d.e&password=x']) {
    table.push({ name: `POST /signin past CSRF ${fields.slice(0, 40)}`, method: 'POST', path: PATHS.signin, body: `${fields}&csrf=${csrf}`, headers: FORM, session: true });
  }
  // Wrong methods.
  for (const path of [PATHS.token, PATHS.authorize, PATHS.ssoCookie, PATHS.jwks]) {
    table.push({ name: `POST/GET swapped on ${path}`, method: path === PATHS.token ? 'GET' : 'POST', path, ...(path === PATHS.token ? {} : { body: 'a=b', headers: FORM }) });
  }
  for (const path of [PATHS.token, PATHS.authorize, PATHS.signin, '/']) {
    for (const method of ['PUT', 'DELETE', 'OPTIONS', 'PATCH'] as const) table.push({ name: `${method} ${path}`, method, path, body: 'a=b', headers: FORM });
  }
  // Encodings and framing the server does not take.
  for (const path of [PATHS.token, PATHS.signin]) {
    table.push({ name: `POST ${path} gzip garbage`, method: 'POST', path, body: 'not gzip at all', headers: { ...FORM, 'content-encoding': 'gzip' } });
    table.push({ name: `POST ${path} unknown encoding`, method: 'POST', path, body: 'grant_type=x', headers: { ...FORM, 'content-encoding': 'br, zstd, nonsense' } });
    table.push({ name: `POST ${path} content-type with junk parameters`, method: 'POST', path, body: 'grant_type=x', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8; charset=latin1; boundary' } });
    table.push({ name: `POST ${path} upper-case content type`, method: 'POST', path, body: 'grant_type=x', headers: { 'content-type': 'APPLICATION/X-WWW-FORM-URLENCODED' } });
  }
  return table;
}

const isApi = (path: string) => path.startsWith('/api/') || path.startsWith('/.well-known/');
const STACK = /\bat .+:\d+:\d+|\n\s+at /;

for (const backend of testBackends()) {
  describe(`junk at every endpoint (${backend})`, () => {
    const f = useServer({ backend }, async (s) => {
      const web = await aClient(s, { redirectUri: 'https://app.example/cb', scope: 'openid email offline_access' });
      const npsso = await (await aPerson(s)).signIn();
      const form = await raw(`${s.url}/signin`);
      const seed = cookieValue(form.headers['set-cookie'] ?? [], 'kt_csrf')!;
      const cookies = `npsso=${npsso}; kt_csrf=${seed}`;
      const csrf = csrfFrom(form.body)!;
      return { cookies, csrf, web };
    });

    it('answers every malformed request with a 4xx that shows no stack frame or SQL, JSON on API paths', async () => {
      const { s, cookies, csrf, web } = f;
      const failures: string[] = [];
      for (const junk of junkTable(csrf, web)) {
        let res: Answer;
        try {
          res = await send(s.url, junk, cookies);
        } catch (err) {
          failures.push(`${junk.name}: connection error ${(err as Error).message}`);
          continue;
        }
        const problems: string[] = [];
        if (res.status >= 500) problems.push(`status ${res.status}`);
        if (STACK.test(res.body)) problems.push('stack frame in body');
        // Random values (CSRF tokens in value="…", key material and tokens in base64url) may
        // spell anything, "sql" included; look at the rest. A database's error text has spaces.
        const text = res.body.replace(/value="[^"]*"/g, '').replace(/[A-Za-z0-9_-]{40,}/g, '');
        if (/SQL|sqlite|postgres|syntax error|relation "/i.test(text)) problems.push('SQL in body');
        const path = junk.path.split('?')[0]!;
        // The Node HTTP parser answers 431 / 414 itself, with no body, before the app sees it.
        // RFC 6750 3.1: a request with no bearer token gets a bare challenge, no error body.
        const bareChallenge = res.status === 401 && res.body === '' && res.wwwAuthenticate.startsWith('Bearer ');
        if (isApi(path) && res.status >= 400 && res.status !== 431 && !bareChallenge && !path.startsWith(PATHS.authorize)) {
          if (!res.type.startsWith('application/json')) problems.push(`content-type ${res.type}`);
          else {
            try {
              const body = JSON.parse(res.body) as { error?: unknown };
              if (typeof body.error !== 'string') problems.push('no error field');
            } catch {
              problems.push('body is not JSON');
            }
          }
        }
        if (problems.length > 0) failures.push(`${junk.name}: ${problems.join(', ')} — ${res.body.slice(0, 160)}`);
      }
      expect(failures).toEqual([]);
    }, 60_000);
  });
}
