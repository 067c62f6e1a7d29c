import { describe, expect, it } from 'vitest';
import { InvalidClientError, InvalidNpssoError, InvalidResponseError } from '../errors.js';
import { codeChallengeS256 } from '../lib/pkce.js';
import { fakeFetch, json, redirect } from '../test-support/fakeFetch.js';
import { exchangeNpssoForAccessCode, processAuthorizationResponse } from './index.js';

const NPSSO = 'a'.repeat(64);

describe('exchangeNpssoForAccessCode', () => {
  it('sends the same request as psn-api to PlayStation by default and returns the code', async () => {
    const f = fakeFetch(() => redirect('com.scee.psxandroid.scecompcall://redirect/?code=v3.ABC&cid=x'));
    const code = await exchangeNpssoForAccessCode(NPSSO, { fetch: f });
    expect(code).toBe('v3.ABC');
    const req = f.requests[0]!;
    expect(req.url.origin + req.url.pathname).toBe('https://ca.account.sony.com/api/authz/v3/oauth/authorize');
    expect(Object.fromEntries(req.url.searchParams)).toEqual({
      access_type: 'offline',
      client_id: '09515159-7237-4370-9b40-3806e67c0891',
      redirect_uri: 'com.scee.psxandroid.scecompcall://redirect',
      response_type: 'code',
      scope: 'psn:mobile.v2.core psn:clientapp',
    });
    expect(req.headers.get('cookie')).toBe(`npsso=${NPSSO}`);
    expect(req.redirect).toBe('manual');
  });

  it('appends the OAuth path to a bare origin and keeps an explicit prefix as is', async () => {
    const f = fakeFetch(() => redirect('com.scee.psxandroid.scecompcall://redirect/?code=v3.1'));
    await exchangeNpssoForAccessCode(NPSSO, { fetch: f, baseUrl: 'http://127.0.0.1:8080' });
    await exchangeNpssoForAccessCode(NPSSO, { fetch: f, baseUrl: 'http://127.0.0.1:8080/custom/oauth/' });
    expect(f.requests.map((r) => r.url.pathname)).toEqual(['/api/authz/v3/oauth/authorize', '/custom/oauth/authorize']);
  });

  it('sends the S256 challenge of a PKCE verifier, the state and the nonce', async () => {
    const f = fakeFetch(() => redirect('app://cb?code=v3.2&state=s1'));
    const code = await exchangeNpssoForAccessCode(NPSSO, {
      fetch: f,
      clientId: 'cli',
      redirectUri: 'app://cb',
      codeVerifier: 'verifier-verifier-verifier-verifier-verifier',
      state: 's1',
      nonce: 'n1',
    });
    expect(code).toBe('v3.2');
    const p = f.requests[0]!.url.searchParams;
    expect(p.get('code_challenge')).toBe(codeChallengeS256('verifier-verifier-verifier-verifier-verifier'));
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('state')).toBe('s1');
    expect(p.get('nonce')).toBe('n1');
    expect(p.get('client_id')).toBe('cli');
  });

  it('refuses a malformed NPSSO before sending anything', async () => {
    const f = fakeFetch(() => redirect('x://r?code=1'));
    for (const bad of ['', 'abc; other=1', 'abc\r\nX: y', 'a b']) {
      await expect(exchangeNpssoForAccessCode(bad, { fetch: f })).rejects.toBeInstanceOf(InvalidNpssoError);
    }
    expect(f.requests).toHaveLength(0);
  });

  it('maps a redirect with error=login_required to ERR_INVALID_NPSSO keeping the OAuth fields', async () => {
    const f = fakeFetch(() =>
      redirect('com.scee.psxandroid.scecompcall://redirect/?error=login_required&error_code=4165&error_description=Login+is+required'),
    );
    const err = await exchangeNpssoForAccessCode(NPSSO, { fetch: f }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidNpssoError);
    expect(err).toMatchObject({ code: 'ERR_INVALID_NPSSO', status: 302, error: 'login_required', error_description: 'Login is required' });
    expect((err as Error).message).not.toContain(NPSSO);
  });

  it('maps a redirect to a sign-in page and a 200 page to ERR_INVALID_NPSSO', async () => {
    const toLogin = fakeFetch(() => redirect('https://ca.account.sony.com/signin?x=1'));
    await expect(exchangeNpssoForAccessCode(NPSSO, { fetch: toLogin })).rejects.toMatchObject({ code: 'ERR_INVALID_NPSSO' });
    const page = fakeFetch(() => new Response('<html>sign in</html>', { status: 200 }));
    await expect(exchangeNpssoForAccessCode(NPSSO, { fetch: page })).rejects.toMatchObject({ code: 'ERR_INVALID_NPSSO', status: 200 });
  });

  it('maps a 401 JSON answer without an error code to ERR_INVALID_NPSSO', async () => {
    const f = fakeFetch(() => json({ message: 'no session' }, 401));
    await expect(exchangeNpssoForAccessCode(NPSSO, { fetch: f })).rejects.toMatchObject({ code: 'ERR_INVALID_NPSSO', status: 401 });
  });

  it('maps an invalid_client redirect error to ERR_INVALID_CLIENT', async () => {
    const f = fakeFetch(() => redirect('com.scee.psxandroid.scecompcall://redirect/?error=unauthorized_client'));
    await expect(exchangeNpssoForAccessCode(NPSSO, { fetch: f })).rejects.toBeInstanceOf(InvalidClientError);
  });

  it('rejects a redirect to the client without a code as ERR_INVALID_RESPONSE', async () => {
    const f = fakeFetch(() => redirect('com.scee.psxandroid.scecompcall://redirect/?foo=1'));
    await expect(exchangeNpssoForAccessCode(NPSSO, { fetch: f })).rejects.toBeInstanceOf(InvalidResponseError);
    const noLocation = fakeFetch(() => new Response(null, { status: 302 }));
    await expect(exchangeNpssoForAccessCode(NPSSO, { fetch: noLocation })).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('rejects a redirect whose state differs from the one sent', async () => {
    const f = fakeFetch(() => redirect('app://cb?code=v3.1&state=other'));
    await expect(
      exchangeNpssoForAccessCode(NPSSO, { fetch: f, redirectUri: 'app://cb', state: 'mine' }),
    ).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('reads a code from an answer without sending anything (process half alone)', async () => {
    await expect(processAuthorizationResponse(redirect('com.scee.psxandroid.scecompcall://redirect/?code=v3.Z'))).resolves.toBe('v3.Z');
  });
});
