/**
 * What an attacker could read without attacking anything: after a full flow for two people
 * and two clients, errors included, no response shows a stack, SQL, a file path, or any
 * secret other than the ones made for that very response; the server log (fastify logger at
 * debug, captured) holds no token, code, npsso, password or client secret; and no cell of the
 * SQLite database, nor the raw database and WAL files, holds one either.
 */
import { readFileSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../test-support/browser.js';
import { aClient, basic, type TestClient } from '../test-support/clients.js';
import { introspect, postForm, revoke } from '../test-support/endpoints.js';
import { csrfFrom, raw, type Answer } from '../test-support/http.js';
import { leakIn } from '../test-support/leaks.js';
import { authorize, codeFrom, pkcePair, refresh, tokenRequest, type TokenBody } from '../test-support/oauth.js';
import { endpoint, PATHS } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

const ADA_PASSWORD = 'ada-correct-horse-battery';
const EVE_PASSWORD = 'eve-correct-horse-battery';
const WRONG_PASSWORD = 'ada-wrong-password-guess';
const WRONG_SECRET = 'app-wrong-secret-0123456789';

interface Recorded {
  label: string;
  text: string;
  /** Secrets this answer may carry: made for it, or sent by the same caller and echoed by design. */
  own: string[];
}

describe('information leaks after a full flow with errors', () => {
  let s: TestServer;
  const log: string[] = [];
  const recorded: Recorded[] = [];
  /** Every secret of the flow: passwords, client secrets, npsso values, codes, tokens, CSRF seeds. */
  const secrets = new Set<string>([ADA_PASSWORD, EVE_PASSWORD, WRONG_PASSWORD, WRONG_SECRET]);
  let app: TestClient;
  let pub: TestClient;

  const text = (a: Answer) => `${a.status}\n${JSON.stringify(a.headers)}\n${a.body}`;
  type FetchAnswer = { status: number; text: string; headers: Headers } | { status: number; body: Record<string, unknown>; headers: Headers };
  const record = (label: string, a: Answer | FetchAnswer, own: Array<string | undefined> = []) => {
    const t =
      a.headers instanceof Headers
        ? `${a.status}\n${JSON.stringify(Object.fromEntries(a.headers))}\n${'text' in a ? a.text : JSON.stringify(a.body)}`
        : text(a as Answer);
    recorded.push({ label, text: t, own: own.filter((x): x is string => typeof x === 'string') });
  };
  const keep = (...values: Array<string | undefined>) => values.forEach((v) => v && secrets.add(v));

  /** authorize + code exchange through raw answers, recording both. */
  async function codeFlow(who: string, npsso: string, client: TestClient, params: Record<string, string> = {}) {
    const { verifier, challenge } = pkcePair();
    const authz = await authorize(s, npsso, { client_id: client.id, redirect_uri: client.redirectUri, response_type: 'code', scope: 'openid profile email', access_type: 'offline', code_challenge: challenge, code_challenge_method: 'S256', state: `st-${who}`, ...params });
    const code = codeFrom(authz.location);
    keep(code, verifier);
    recorded.push({ label: `${who} authorize`, text: `${authz.status} ${authz.location}`, own: [code] });
    return { code, verifier };
  }
  async function exchange(who: string, client: TestClient, code: string, verifier: string, auth = client.auth) {
    const res = await tokenRequest(s, { grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: verifier, ...client.form }, auth);
    const body = res.body as Partial<TokenBody>;
    keep(body.access_token, body.refresh_token, body.id_token);
    recorded.push({ label: `${who} token ${res.status}`, text: `${res.status}\n${JSON.stringify(Object.fromEntries(res.headers))}\n${JSON.stringify(res.body)}`, own: [body.access_token, body.refresh_token, body.id_token].filter((x): x is string => !!x) });
    return body;
  }

  beforeAll(async () => {
    s = await startTestServer({ config: { loginSlowAfter: 100 }, http: { logger: true, logLevel: 'debug', logStream: { write: (line) => void log.push(line) } } });
    const adaPerson = await aPerson(s, { password: ADA_PASSWORD, name: 'Ada' });
    const evePerson = await aPerson(s, { password: EVE_PASSWORD, name: 'Eve' });
    app = await aClient(s);
    pub = await aClient(s, { public: true });
    keep(app.secret!);

    // Sign-in: wrong password, unknown email, then both people.
    const ada = new Browser(s);
    const eve = new Browser(s, { from: '127.0.6.2' });
    const form = await ada.get('/signin');
    keep(ada.jar.get('kt_csrf'), csrfFrom(form.body));
    record('sign-in form', form, [ada.jar.get('kt_csrf'), csrfFrom(form.body)]);
    const csrf = csrfFrom(form.body)!;
    record('wrong password', await ada.post('/signin', { email: adaPerson.email, password: WRONG_PASSWORD, csrf }), [csrf]);
    record('unknown email', await ada.post('/signin', { email: 'nobody@example.com', password: WRONG_PASSWORD, csrf }), [csrf]);
    record('no csrf', await ada.post('/signin', { email: adaPerson.email, password: ADA_PASSWORD }), [csrf]);
    const adaIn = await ada.post('/signin', { email: adaPerson.email, password: ADA_PASSWORD, csrf });
    const eveIn = await eve.signIn(evePerson.email, EVE_PASSWORD);
    keep(ada.npsso, eve.npsso, eve.jar.get('kt_csrf'));
    record('ada signed in', adaIn, [ada.npsso]);
    record('eve signed in', eveIn, [eve.npsso]);
    record('ada ssocookie', await ada.get(PATHS.ssoCookie), [ada.npsso]);
    record('ssocookie without cookie', await raw(s.url + PATHS.ssoCookie));

    // Codes and tokens, with a wrong secret first (the code is in that failing request).
    const a1 = await codeFlow('ada', ada.npsso!, app);
    await exchange('ada wrong secret', app, a1.code, a1.verifier, basic(app.id, WRONG_SECRET));
    const adaTokens = await exchange('ada', app, a1.code, a1.verifier);
    const e1 = await codeFlow('eve', eve.npsso!, pub);
    const eveTokens = await exchange('eve', pub, e1.code, e1.verifier);

    // Refresh (reuse policy: the same token comes back to its owner), rotation and theft.
    const adaRefresh = await refresh(s, app, adaTokens.refresh_token!);
    keep(adaRefresh.body.access_token as string, adaRefresh.body.id_token as string);
    record('ada refresh', { status: adaRefresh.status, text: JSON.stringify(adaRefresh.body), headers: adaRefresh.headers }, [adaRefresh.body.access_token as string, adaRefresh.body.id_token as string, adaTokens.refresh_token]);
    const eveRotated = await refresh(s, pub, eveTokens.refresh_token!);
    keep(eveRotated.body.access_token as string, eveRotated.body.id_token as string, eveRotated.body.refresh_token as string);
    record('eve rotate', { status: eveRotated.status, text: JSON.stringify(eveRotated.body), headers: eveRotated.headers }, [eveRotated.body.access_token as string, eveRotated.body.id_token as string, eveRotated.body.refresh_token as string]);
    s.kt.config.rotationRetryWindowSec = 0;
    record('eve reuse (theft)', await postForm(s, 'token', { grant_type: 'refresh_token', refresh_token: eveTokens.refresh_token!, client_id: pub.id }));
    record('eve token at app', await postForm(s, 'token', { grant_type: 'refresh_token', refresh_token: eveRotated.body.refresh_token as string }, app.auth));

    // Introspection, userinfo, revocation, by the owner and by the other client.
    record('introspect own', { status: 200, text: JSON.stringify(await introspect(s, app, adaTokens.access_token!)), headers: new Headers() });
    record('introspect other', { status: 200, text: JSON.stringify(await introspect(s, app, eveRotated.body.access_token as string)), headers: new Headers() });
    record('userinfo', await raw(endpoint(s, 'userinfo'), { headers: { authorization: `Bearer ${adaTokens.access_token}` } }));
    record('userinfo with id token', await raw(endpoint(s, 'userinfo'), { headers: { authorization: `Bearer ${adaTokens.id_token}` } }));
    record('revoke access', await revoke(s, app, adaTokens.access_token!));
    record('userinfo revoked', await raw(endpoint(s, 'userinfo'), { headers: { authorization: `Bearer ${adaTokens.access_token}` } }));

    // A replayed code (revokes its first use), a wrong verifier, a made-up refresh token; then a live grant for the account page.
    await exchange('ada replay', app, a1.code, a1.verifier);
    const a2 = await codeFlow('ada-2', ada.npsso!, app);
    await exchange('ada bad verifier', app, a2.code, 'x'.repeat(43));
    record('refresh garbage', await postForm(s, 'token', { grant_type: 'refresh_token', refresh_token: 'garbage' }, app.auth));
    const a3 = await codeFlow('ada-3', ada.npsso!, app);
    const adaLive = await exchange('ada-3', app, a3.code, a3.verifier);

    // The account page, a revoke there, and sign-out.
    const page = await ada.get('/account');
    record('account', page, [csrfFrom(page.body)]);
    const grantId = /data-grant="([^"]+)"/.exec(page.body)![1]!;
    record('account revoke', await ada.post(`/account/sessions/${grantId}/revoke`, { csrf: csrfFrom(page.body)! }));
    record('account after', await ada.get('/account'), [csrfFrom(page.body)]);
    record('refresh after account revoke', await refresh(s, app, adaLive.refresh_token!));
    record('sign out', await ada.post('/signout', { csrf: csrfFrom(page.body)! }));
    record('sso after sign-out', await raw(s.url + PATHS.ssoCookie, { headers: { cookie: `npsso=${adaIn.headers['set-cookie']![0]!.split(';')[0]!.split('=')[1]}` } }));
    expect(secrets.size).toBeGreaterThanOrEqual(20);
  }, 30_000);
  afterAll(() => s.close());

  it('shows in no response a stack, SQL, a file path, or a secret not made for that response', () => {
    expect(recorded.length).toBeGreaterThan(30);
    for (const { label, text: t, own } of recorded) {
      expect({ label, leak: leakIn(t) }).toEqual({ label, leak: null });
      const foreign = [...secrets].filter((x) => !own.includes(x) && t.includes(x));
      expect({ label, foreign }).toEqual({ label, foreign: [] });
    }
  });

  it('writes no token, code, npsso, password, client secret or CSRF value to the log', () => {
    const all = log.join('');
    // The log is on and saw the flow, errors included.
    expect(all).toContain('"statusCode":401');
    expect(all).toContain(`"path":"${PATHS.token}"`);
    const found = [...secrets].filter((x) => all.includes(x));
    expect(found).toEqual([]);
    // No header of a request or answer: they carry cookies and credentials.
    expect(all).not.toMatch(/npsso=|"authorization"|"cookie"|"set-cookie"|"headers"|"body"/i);
  });

  it('stores no raw npsso, code, refresh token, access token, password or client secret in any database cell or file', () => {
    const db = new Database(s.database, { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['users', 'clients', 'sso_sessions', 'auth_codes', 'grants', 'refresh_tokens']));
      let cells = 0;
      for (const { name } of tables) {
        for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>) {
          for (const [column, value] of Object.entries(row)) {
            if (value === null || typeof value === 'number' || typeof value === 'bigint') continue;
            cells++;
            const cell = Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
            const found = [...secrets].filter((x) => cell.includes(x));
            expect({ at: `${name}.${column}`, found }).toEqual({ at: `${name}.${column}`, found: [] });
          }
        }
      }
      expect(cells).toBeGreaterThan(20);
    } finally {
      db.close();
    }
    for (const file of [s.database, `${s.database}-wal`]) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file).toString('latin1');
      expect({ file, found: [...secrets].filter((x) => bytes.includes(x)) }).toEqual({ file, found: [] });
    }
  });
});
