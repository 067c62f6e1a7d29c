/**
 * Drop-in, request for request: the published psn-api package and ours, both on PlayStation's
 * defaults and both calling the same recording `fetch`, send the same requests (URL, query,
 * method, headers, form body, redirect mode) and read the same results; where psn-api fails
 * with its "Is your NPSSO code valid?" sentence, ours fails with a typed error carrying it too.
 */
import * as psnApi from 'psn-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyturnError } from '../errors.js';
import { json, redirect, tokenBody } from '../test-support/fakeFetch.js';
import * as ours from './index.js';

const NPSSO = 'b'.repeat(64);

interface WireRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: string | null;
  redirect: string;
}

/** What goes on the wire for one fetch call, in a form two libraries can be compared by. */
function wire(input: string | URL | Request, init: RequestInit = {}): WireRequest {
  return {
    method: (init.method ?? 'GET').toUpperCase(),
    url: String(input),
    headers: [...new Headers(init.headers).entries()].sort(([a], [b]) => a.localeCompare(b)),
    body: typeof init.body === 'string' ? init.body : null,
    redirect: init.redirect ?? 'follow',
  };
}

/** Replaces the global fetch (psn-api has no other way in) with one answering `answer()`. */
function stubFetch(answer: () => Response): WireRequest[] {
  const seen: WireRequest[] = [];
  vi.stubGlobal('fetch', async (input: string | URL | Request, init?: RequestInit) => {
    seen.push(wire(input, init));
    return answer();
  });
  return seen;
}

/** Runs `call` of psn-api and of ours against the same answer; their requests and outcomes. */
async function both<T>(answer: () => Response, call: (lib: typeof psnApi | typeof ours) => Promise<T>) {
  const theirsSent = stubFetch(answer);
  const theirs = await call(psnApi).then((value) => ({ value }), (error: unknown) => ({ error }));
  const oursSent = stubFetch(answer);
  const mine = await call(ours).then((value) => ({ value }), (error: unknown) => ({ error }));
  return { theirsSent, oursSent, theirs, mine };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const CODE_ANSWER = () => redirect('com.scee.psxandroid.scecompcall://redirect/?code=v3.SAME&cid=x');

describe('psn-api and @keyturn/client on PlayStation\'s defaults', () => {
  const calls: Array<[string, () => Response, (lib: typeof psnApi | typeof ours) => Promise<unknown>]> = [
    ['exchangeNpssoForAccessCode', CODE_ANSWER, (lib) => lib.exchangeNpssoForAccessCode(NPSSO)],
    ['exchangeNpssoForCode', CODE_ANSWER, (lib) => lib.exchangeNpssoForCode(NPSSO)],
    ['exchangeAccessCodeForAuthTokens', () => json(tokenBody()), (lib) => lib.exchangeAccessCodeForAuthTokens('v3.SAME')],
    ['exchangeCodeForAccessToken', () => json(tokenBody()), (lib) => lib.exchangeCodeForAccessToken('v3.SAME')],
    ['exchangeRefreshTokenForAuthTokens', () => json(tokenBody()), (lib) => lib.exchangeRefreshTokenForAuthTokens('rt-SAME')],
  ];
  for (const [name, answer, call] of calls) {
    it(`${name} sends the same request and reads the same result`, async () => {
      const { theirsSent, oursSent, theirs, mine } = await both(answer, call);
      expect(theirsSent).toHaveLength(1);
      expect(oursSent).toEqual(theirsSent);
      expect(mine).toEqual(theirs);
      expect('value' in mine && mine.value).toBeTruthy();
    });
  }
});

describe('psn-api\'s failure message, kept by our typed errors', () => {
  const failures: Array<[string, () => Response, string]> = [
    ['a redirect without a Location', () => new Response(null, { status: 302 }), 'ERR_INVALID_RESPONSE'],
    ['a Location without a code', () => redirect('com.scee.psxandroid.scecompcall://redirect/?foo=1'), 'ERR_INVALID_RESPONSE'],
    ['a Location with ?error=', () => redirect('com.scee.psxandroid.scecompcall://redirect/?error=login_required&error_description=Login+is+required'), 'ERR_INVALID_NPSSO'],
    ['a refused NPSSO (redirect to sign-in)', () => redirect('https://ca.account.sony.com/signin?x=1'), 'ERR_INVALID_NPSSO'],
    ['a refused NPSSO (HTTP 401)', () => json({ message: 'no session' }, 401), 'ERR_INVALID_NPSSO'],
    ['a page instead of a redirect', () => new Response('<html>sign in</html>', { status: 200 }), 'ERR_INVALID_NPSSO'],
    ['an unknown client', () => json({ error: 'invalid_client', error_description: 'Unknown client' }, 400), 'ERR_INVALID_CLIENT'],
    ['a server failure', () => new Response('oops', { status: 503 }), 'ERR_SERVER'],
  ];
  for (const [name, answer, code] of failures) {
    it(`on ${name}, ${code} carries psn-api's sentence word for word`, async () => {
      const { theirs, mine } = await both(answer, (lib) => lib.exchangeNpssoForAccessCode(NPSSO));
      const theirMessage = ('error' in theirs && theirs.error instanceof Error ? theirs.error.message : '').replace(/\s+/g, ' ').trim();
      expect(theirMessage).toMatch(/^There was a problem retrieving your PSN access code\. Is your NPSSO code valid\?/);
      const error = 'error' in mine ? mine.error : undefined;
      expect(error).toBeInstanceOf(KeyturnError);
      expect(error).toMatchObject({ code });
      expect((error as Error).message).toContain(theirMessage);
      expect(String((error as Error).stack)).toContain(theirMessage);
    });
  }
});
