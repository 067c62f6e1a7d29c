/** What the authorization endpoint's refusals become: typed errors that keep what the server said. */
import { describe, expect, it } from 'vitest';
import { InvalidClientError, InvalidNpssoError, InvalidResponseError, NetworkError, OAuthError } from '../errors.js';
import { fakeFetch, json, redirect } from '../test-support/fakeFetch.js';
import { rejection } from '../test-support/rejection.js';
import { exchangeNpssoForAccessCode, exchangeNpssoForCode } from './exchangeNpssoForAccessCode.js';
import { keyturnServer } from './keyturnServer.js';

const NPSSO = 'c'.repeat(64);
const KEYTURN = keyturnServer('http://127.0.0.1:8080', { clientId: 'my-bot' });
const PSN_SENTENCE = 'There was a problem retrieving your PSN access code. Is your NPSSO code valid? To get a new NPSSO code, visit https://ca.account.sony.com/api/v1/ssocookie.';

/** Keyturn's error page, as the server renders it for an unknown client. */
const KEYTURN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Unknown client · Keyturn</title></head>
<body><header class="top"><a class="brand" href="/">Keyturn</a><nav class="nav"><a href="/signin">Sign in</a></nav></header>
<main class="main"><section class="card narrow"><h1>Unknown client</h1><p class="lead">This application is not registered with Keyturn.</p><p><a href="/">Back to Keyturn</a></p></section></main>
</body></html>`;

const html = (body: string, status = 400) => new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
const failure = (answer: () => Response, options = KEYTURN) => rejection(exchangeNpssoForAccessCode(NPSSO, { ...options, fetch: fakeFetch(answer) }));

describe('the authorization request', () => {
  it('asks a Keyturn server for JSON errors, and sends PlayStation no Accept header (as psn-api)', async () => {
    const f = fakeFetch(() => redirect('com.example.bot://redirect/?code=v3.1'));
    await exchangeNpssoForAccessCode(NPSSO, { ...KEYTURN, fetch: f });
    const psn = fakeFetch(() => redirect('com.scee.psxandroid.scecompcall://redirect/?code=v3.3'));
    await exchangeNpssoForAccessCode(NPSSO, { fetch: psn });
    expect(f.requests[0]!.headers.get('accept')).toBe('application/json');
    expect(psn.requests[0]!.headers.get('accept')).toBeNull();
  });

  it('is also exported under psn-api\'s name exchangeNpssoForCode', () => {
    expect(exchangeNpssoForCode).toBe(exchangeNpssoForAccessCode);
  });
});

describe('a JSON refusal of the authorization endpoint', () => {
  it('becomes ERR_INVALID_CLIENT for an unknown client, keeping error, error_description and status', async () => {
    const err = await failure(() => json({ error: 'invalid_client', error_description: 'Unknown client: this application is not registered' }, 400));
    expect(err).toBeInstanceOf(InvalidClientError);
    expect(err).toMatchObject({ code: 'ERR_INVALID_CLIENT', status: 400, error: 'invalid_client', error_description: 'Unknown client: this application is not registered' });
    expect(err.message).toContain('Unknown client: this application is not registered');
  });

  it('becomes ERR_OAUTH for an unregistered redirect URI, with the server\'s words in the message', async () => {
    const err = await failure(() => json({ error: 'invalid_request', error_description: 'The redirect URI is not registered for this application.' }, 400));
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ status: 400, error: 'invalid_request', error_description: 'The redirect URI is not registered for this application.' });
    expect(err.message).toContain('The redirect URI is not registered for this application.');
  });
});

describe('an HTML error page from the authorization endpoint', () => {
  it('is not dropped: its heading and text become error_description and the message', async () => {
    const err = await failure(() => html(KEYTURN_PAGE));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 400, error: undefined, error_description: 'Unknown client: This application is not registered with Keyturn.' });
    expect(err.message).toContain('(HTTP 400): Unknown client: This application is not registered with Keyturn.');
  });

  it('falls back to the page title when the page has no heading or paragraph', async () => {
    const err = await failure(() => html('<html><head><title>Bad Request &amp; more</title></head><body></body></html>'));
    expect(err).toMatchObject({ status: 400, error_description: 'Bad Request & more' });
  });

  it('keeps what a 401 page says on ERR_INVALID_NPSSO', async () => {
    const err = await failure(() => html('<html><body><h1>Signed out</h1><p>Sign in again.</p></body></html>', 401));
    expect(err).toBeInstanceOf(InvalidNpssoError);
    expect(err.message).toContain('Signed out: Sign in again.');
  });
});

describe('psn-api\'s sentence on every failed NPSSO exchange', () => {
  const cases: Array<[string, () => Response]> = [
    ['no Location', () => new Response(null, { status: 302 })],
    ['a Location without a code', () => redirect('com.example.bot://redirect/?x=1')],
    ['a Location with ?error=', () => redirect('com.example.bot://redirect/?error=access_denied')],
    ['a refused NPSSO', () => redirect('/signin?return_to=%2Fapi')],
    ['an error page', () => html(KEYTURN_PAGE)],
  ];
  for (const [name, answer] of cases) {
    it(`is in the message on ${name}, with where this server hands out an NPSSO`, async () => {
      const err = await failure(answer);
      expect(err.message).toContain(PSN_SENTENCE);
      expect(err.message).toContain('On http://127.0.0.1:8080: sign in at http://127.0.0.1:8080/signin, then visit http://127.0.0.1:8080/api/v1/ssocookie.');
    });
  }

  it('is in the message of a malformed NPSSO refused before sending', async () => {
    const f = fakeFetch(() => redirect('x://r/?code=1'));
    const err = await rejection(exchangeNpssoForAccessCode('bad npsso', { fetch: f }));
    expect(err).toBeInstanceOf(InvalidNpssoError);
    expect(err.message).toContain(PSN_SENTENCE);
    expect(f.requests).toHaveLength(0);
  });

  it('is not added to a transport failure, where psn-api throws fetch\'s own error', async () => {
    const err = await failure(() => {
      throw new TypeError('fetch failed');
    });
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).not.toContain('NPSSO');
  });

  it('tells a redirect to the sign-in page from a redirect to the client when no redirect URI was sent', async () => {
    expect(await failure(() => redirect('/signin?return_to=%2F'))).toBeInstanceOf(InvalidNpssoError);
    expect(await failure(() => redirect('http://127.0.0.1:8080/signin'))).toBeInstanceOf(InvalidNpssoError);
    expect(await failure(() => redirect('com.example.bot://redirect/?x=1'))).toBeInstanceOf(InvalidResponseError);
  });
});
