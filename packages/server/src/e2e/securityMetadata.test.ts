/**
 * RFC 9700 2.1.1, 2.1.2, 2.4 and 4.4 as the metadata (RFC 8414) states them, and as the endpoints
 * behave: code flow only (no implicit, no password grant), PKCE with S256 only, and the `iss`
 * authorization response parameter (RFC 9207) against mix-up.
 */
import { describe, expect, it } from 'vitest';
import { aClient, REDIRECT } from '../test-support/clients.js';
import { authorize, pkcePair } from '../test-support/oauth.js';
import { METADATA_PATHS } from '../test-support/paths.js';
import { aPerson } from '../test-support/people.js';
import { useServer } from '../test-support/server.js';

describe('what the metadata promises about RFC 9700', () => {
  const f = useServer({}, async (s) => ({ app: await aClient(s), npsso: await (await aPerson(s)).signIn() }));

  it('offers the code flow with PKCE S256 and the iss response parameter, and neither implicit nor password grants', async () => {
    for (const path of METADATA_PATHS) {
      const meta = (await (await fetch(`${f.s.url}${path}`)).json()) as Record<string, unknown>;
      expect(meta).toMatchObject({ response_types_supported: ['code'], response_modes_supported: ['query'], code_challenge_methods_supported: ['S256'], authorization_response_iss_parameter_supported: true });
      expect(meta.grant_types_supported).not.toContain('password');
      expect(meta.grant_types_supported).not.toContain('implicit');
    }
  });

  it('puts the issuer in every authorization response, the error ones too', async () => {
    const { s, app, npsso } = f;
    const { challenge } = pkcePair();
    const base = { client_id: app.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' };
    for (const params of [base, { ...base, scope: 'not-allowed' }, { ...base, response_type: 'token' }]) {
      const { location } = await authorize(s, npsso, params);
      expect(new URL(location ?? '').searchParams.get('iss')).toBe(s.issuer);
    }
  });
});
