/**
 * Property-based fuzzing of every route (fast-check), on both backends: thousands of generated
 * malformed requests (methods, paths, repeated and broken fields and encodings, cookies,
 * Authorization headers, content types, query strings), mixed with real values so the handlers
 * behind the checks run. No answer may be a 5xx, and none may show a stack frame or SQL.
 * The routes come from the server's own route modules, so a new endpoint is fuzzed at once.
 */
import fc from 'fast-check';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { routeModules } from '../http/server.js';
import { aClient, basic } from '../test-support/clients.js';
import { testBackends } from '../test-support/databases.js';
import { cookieValue, csrfFrom, raw } from '../test-support/http.js';
import { leakIn } from '../test-support/leaks.js';
import { malformedRequest, type FuzzContext, type Pair, type Template } from '../test-support/malformedRequests.js';
import { authorize, codeFrom, pkcePair, signInTokens } from '../test-support/oauth.js';
import { PATHS } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { requestBytes, sendRaw } from '../test-support/rawRequest.js';
import { useServer, type TestServer } from '../test-support/server.js';

/** 2,000 requests per backend: RUNS batches of BATCH requests sent at once. */
const RUNS = 200;
const BATCH = 10;

/** The routes the server registers, read from its route modules. */
function routesOf(s: TestServer): Array<{ method: string; url: string }> {
  const scratch = Fastify();
  const routes: Array<{ method: string; url: string }> = [];
  scratch.addHook('onRoute', (r) => void routes.push({ method: String(r.method), url: r.url }));
  for (const register of routeModules) register(scratch, s.kt);
  return routes;
}

const FORM: Pair = ['Content-Type', 'application/x-www-form-urlencoded'];

/**
 * Real values of `s` and a valid request to each of its routes. What a request may end (a
 * session, a grant) belongs to people and clients made for it, so that the main session and
 * tokens stay live for the handlers behind them.
 */
async function contextOf(s: TestServer): Promise<FuzzContext> {
  const [ada, bob] = [await aPerson(s), await aPerson(s)];
  const app = await aClient(s);
  const spa = await aClient(s, { public: true, policy: 'rotate' });
  const [npsso, bobNpsso] = [await ada.signIn(), await bob.signIn()];
  const tokens = await signInTokens(s, npsso, app);
  const spare = await signInTokens(s, npsso, app);
  const spaTokens = await signInTokens(s, npsso, spa);
  const { verifier, challenge } = pkcePair();
  const code = codeFrom((await authorize(s, npsso, { client_id: app.id, redirect_uri: app.redirectUri, response_type: 'code', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' })).location);
  const form = await raw(`${s.url}/signin`);
  const seed = cookieValue(form.headers['set-cookie'] ?? [], 'kt_csrf') ?? '';
  const csrf = csrfFrom(form.body) ?? '';
  const session = (who: string): Pair => ['Cookie', `npsso=${who}; kt_csrf=${seed}`];
  const basicAuth: Pair = ['Authorization', app.auth!];
  const known: Template[] = [
    { method: 'POST', path: '/signin', query: [], form: [['email', ada.email], ['password', ada.password], ['csrf', csrf], ['return_to', '/account']], headers: [FORM, ['Cookie', `kt_csrf=${seed}`]] },
    { method: 'GET', path: PATHS.authorize, query: [['client_id', app.id], ['redirect_uri', app.redirectUri], ['response_type', 'code'], ['scope', 'openid profile'], ['state', 'st'], ['nonce', 'n'], ['code_challenge', challenge], ['code_challenge_method', 'S256'], ['access_type', 'offline']], form: null, headers: [session(npsso)] },
    { method: 'POST', path: PATHS.token, query: [], form: [['grant_type', 'refresh_token'], ['refresh_token', tokens.refresh_token], ['scope', 'openid']], headers: [FORM, basicAuth] },
    { method: 'POST', path: PATHS.token, query: [], form: [['grant_type', 'authorization_code'], ['code', code], ['redirect_uri', app.redirectUri], ['code_verifier', verifier]], headers: [FORM, basicAuth] },
    { method: 'POST', path: PATHS.token, query: [], form: [['client_id', spa.id], ['grant_type', 'refresh_token'], ['refresh_token', spaTokens.refresh_token]], headers: [FORM] },
    { method: 'POST', path: PATHS.revoke, query: [], form: [['token', spare.refresh_token], ['token_type_hint', 'refresh_token']], headers: [FORM, basicAuth] },
    { method: 'POST', path: PATHS.introspect, query: [], form: [['token', tokens.access_token], ['token_type_hint', 'access_token']], headers: [FORM, basicAuth] },
    { method: 'POST', path: PATHS.userinfo, query: [], form: [['access_token', tokens.access_token]], headers: [FORM] },
    { method: 'POST', path: '/signout', query: [], form: [['csrf', csrf]], headers: [FORM, session(bobNpsso)] },
    { method: 'POST', path: '/account/sessions/revoke-all', query: [], form: [['csrf', csrf]], headers: [FORM, session(bobNpsso)] },
  ];
  // Every route gets a valid request: a specific one above, or itself with the session and, on API paths, the client.
  const generic = routesOf(s).map((r): Template => ({ method: r.method, path: r.url, query: [], form: r.method === 'POST' ? [['csrf', csrf]] : null, headers: [FORM, session(npsso), ...(r.url.startsWith('/api/') ? [r.url === PATHS.userinfo ? (['Authorization', `Bearer ${tokens.access_token}`] as Pair) : basicAuth] : [])] }));
  return {
    templates: [...known, ...generic],
    values: [ada.email, ada.password, app.id, app.secret!, spa.id, app.redirectUri, npsso, csrf, code, tokens.access_token, tokens.refresh_token, tokens.id_token ?? '', spaTokens.refresh_token],
    cookies: [`npsso=${npsso}`, `kt_csrf=${seed}`, `npsso=${npsso}; kt_csrf=${seed}`],
    authorizations: [app.auth!, basic(spa.id, 'x'), `Bearer ${tokens.access_token}`, `Bearer ${tokens.id_token ?? ''}`],
  };
}

for (const kind of testBackends()) {
  describe(`fuzzed requests to every route (${kind})`, () => {
    // No lockout: one address sends every request, and a locked client or sign-in would hide the handlers behind the limit.
    const NO_LIMITS = { loginSlowAfter: 1e9, loginLockAfter: 1e9, clientAuthLockAfter: 1e9 };
    const f = useServer({ backend: kind, config: NO_LIMITS }, async (s) => ({ ctx: await contextOf(s) }));

    it(`answers ${RUNS * BATCH} generated malformed requests without a 5xx or a stack`, async () => {
      expect(f.ctx.templates.length).toBeGreaterThanOrEqual(30);
      let sent = 0;
      let fiveHundreds = 0;
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(fc.array(malformedRequest(f.ctx), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const answers = await Promise.all(batch.map((req) => sendRaw(f.s.url, req)));
          answers.forEach((answer, i) => {
            sent += 1;
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            if (answer.status >= 500) fiveHundreds += 1;
            const request = requestBytes(batch[i]!).toString('latin1').slice(0, 600);
            // Node closes a CONNECT it has no tunnel handler for without a word; anything else gets an answer.
            if (batch[i]!.method !== 'CONNECT') expect(answer.status, `no answer to:\n${request}`).toBeGreaterThanOrEqual(100);
            expect(answer.status, `answer to:\n${request}\n${answer.head}\n${answer.body.slice(0, 300)}`).toBeLessThan(500);
            expect(leakIn(answer.head + answer.body), `answer to:\n${request}`).toBeNull();
          });
        }),
        { numRuns: RUNS },
      );
      // The figures of this run (issue 9 asks for them).
      console.info(`[${kind}] fuzz: ${sent} requests sent, ${fiveHundreds} answered 5xx; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
      expect(fiveHundreds).toBe(0);
    }, 120_000);
  });
}
