import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../errors.js';
import { processRefreshTokenResponse } from '../exchange/index.js';
import { json, redirect, tokenBody } from '../test-support/fakeFetch.js';

describe('token answers that are not usable', () => {
  const cases: Array<[string, () => Response]> = [
    ['a 200 without access_token', () => json(tokenBody({ access_token: undefined }))],
    ['a 200 with an empty access_token', () => json(tokenBody({ access_token: '' }))],
    ['a 200 without refresh_token', () => json(tokenBody({ refresh_token: undefined }))],
    ['a 200 with a negative expires_in', () => json(tokenBody({ expires_in: -1 }))],
    ['a 200 with expires_in as text', () => json(tokenBody({ expires_in: 'soon' }))],
    ['a 200 without refresh_token_expires_in', () => json(tokenBody({ refresh_token_expires_in: undefined }))],
    ['a 200 without id_token', () => json(tokenBody({ id_token: undefined }))],
    ['a 200 with an HTML body', () => new Response('<html></html>', { status: 200 })],
    ['a 200 with a JSON array', () => json([])],
    ['a 302 from the token endpoint', () => redirect('https://elsewhere/')],
    ['a 400 without a JSON error', () => new Response('bad', { status: 400 })],
  ];
  for (const [name, make] of cases) {
    it(`rejects ${name} with ERR_INVALID_RESPONSE instead of returning undefined fields`, async () => {
      const err = await processRefreshTokenResponse(make()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect((err as InvalidResponseError).code).toBe('ERR_INVALID_RESPONSE');
    });
  }

  it('accepts expires_in sent as a numeric string', async () => {
    const tokens = await processRefreshTokenResponse(json(tokenBody({ expires_in: '3600' })));
    expect(tokens.expiresIn).toBe(3600);
  });
});
