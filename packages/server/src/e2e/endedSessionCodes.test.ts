/**
 * Regression (issue 9, finding 4): a code handed out before the browser's SSO session ended no
 * longer exchanges: sign-out, "Revoke all" from another browser and signing a browser out from
 * the account page all leave its codes invalid_grant, and exchanging one creates no grant.
 */
import { describe, expect, it } from 'vitest';
import { onlyBrowserRow } from '../test-support/accountPage.js';
import { Browser } from '../test-support/browser.js';
import { aClient, REDIRECT } from '../test-support/clients.js';
import { sha256Hex } from '../domain/lib/crypto.js';
import { grantIdForCode } from '../domain/tokens/exchangeCode.js';
import { authorize, codeFrom, pkcePair, tokenRequest } from '../test-support/oauth.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('codes of an ended SSO session', () => {
  const f = useServer({}, async (s) => ({ app: await aClient(s) }));

  /** A new person signed in on two browsers. */
  async function twoBrowsers(): Promise<[Browser, Browser]> {
    const who = await aPerson(f.s);
    return [await Browser.signedIn(f.s, who), await Browser.signedIn(f.s, who)];
  }

  /** What an app gets from the browser's authorize redirect: a code, and the verifier to exchange it with. */
  async function codeFor(b: Browser): Promise<{ code: string; verifier: string }> {
    const { verifier, challenge } = pkcePair();
    const { location } = await authorize(f.s, b.npsso!, {
      client_id: f.app.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', access_type: 'offline', code_challenge: challenge, code_challenge_method: 'S256',
    });
    return { code: codeFrom(location), verifier };
  }

  const exchange = (c: { code: string; verifier: string }) =>
    tokenRequest(f.s, { grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier }, f.app.auth);

  /** The code exchanges no more, and trying stored no grant. */
  async function refused(c: { code: string; verifier: string }): Promise<void> {
    const res = await exchange(c);
    expect(res).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await f.s.kt.repo.getGrant(grantIdForCode(sha256Hex(c.code)))).toBeNull();
  }

  it('refuses the code of a browser that signed out before the app exchanged it', async () => {
    const [a, b] = await twoBrowsers();
    const fromA = await codeFor(a);
    const fromB = await codeFor(b);
    expect((await a.post('/signout', { csrf: await a.csrf('/') })).status).toBe(303);
    await refused(fromA);
    // Trying again is a replay of a used code, and still leaves no grant behind.
    expect((await exchange(fromA)).body.error_description).toBe('the authorization code was already used');
    await refused(fromA);
    expect(await exchange(fromB)).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
  });

  it('refuses the codes of every browser after "Revoke all" from another browser, its own earlier code too', async () => {
    const [a, b] = await twoBrowsers();
    const fromB = await codeFor(b);
    const fromA = await codeFor(a);
    const csrf = await a.csrf('/account');
    expect((await a.post('/account/sessions/revoke-all', { csrf })).status).toBe(303);
    await refused(fromB);
    await refused(fromA);
    // The browser that asked stays signed in, and its new codes work.
    expect(await exchange(await codeFor(a))).toMatchObject({ status: 200 });
  });

  it('refuses the code of a browser signed out from the account page of another', async () => {
    const [a, b] = await twoBrowsers();
    const fromB = await codeFor(b);
    const page = await a.get('/account');
    const row = onlyBrowserRow(page.body);
    expect((await a.post(`/account/browsers/${row.id}/signout`, { csrf: await a.csrf('/account') })).status).toBe(303);
    await refused(fromB);
    expect(await exchange(await codeFor(a))).toMatchObject({ status: 200 });
  });
});
