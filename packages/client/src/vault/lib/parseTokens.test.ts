import { describe, expect, it } from 'vitest';
import { VaultError } from '../errors.js';
import { parseTokens } from './parseTokens.js';

const TOKENS = {
  accessToken: 'at',
  accessTokenExpiresAt: '2026-01-01T01:00:00.000Z',
  refreshToken: 'rt',
  refreshTokenExpiresAt: '2026-03-01T00:00:00.000Z',
  scope: 'openid',
  tokenType: 'bearer',
  obtainedAt: '2026-01-01T00:00:00.000Z',
};

describe('parseTokens', () => {
  it('reads the token endpoint and client id the tokens were issued by', () => {
    const bound = { ...TOKENS, tokenEndpoint: 'http://127.0.0.1:8080/api/authz/v3/oauth/token', clientId: 'bot' };
    expect(parseTokens(JSON.stringify(bound), 'bot')).toEqual(bound);
  });

  it('still reads an entry saved before tokens remembered their issuer', () => {
    const tokens = parseTokens(JSON.stringify(TOKENS), 'bot');
    expect(tokens).toEqual(TOKENS);
    expect(tokens.tokenEndpoint).toBeUndefined();
  });

  for (const field of ['idToken', 'tokenEndpoint', 'clientId']) {
    it(`refuses a non-string ${field} as ERR_VAULT_CORRUPT`, () => {
      const err = (() => {
        try {
          return parseTokens(JSON.stringify({ ...TOKENS, [field]: 42 }), 'bot');
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(VaultError);
      expect(err).toMatchObject({ code: 'ERR_VAULT_CORRUPT' });
      expect((err as Error).message).toContain(field);
    });
  }
});
