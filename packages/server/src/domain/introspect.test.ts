/** Introspection (RFC 7662): what a live token of the asking client says, and `{ active: false }` for everything else. */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, SECOND } from '../test-support/clock.js';
import { aClient, aGrant, T0, useDomainContext } from '../test-support/domain.js';
import { introspectToken } from './introspect.js';
import { revokeToken } from './revoke.js';
import { refreshTokens } from './tokens/refresh.js';

const INACTIVE = { active: false };

describe('introspectToken', () => {
  const t = useDomainContext({ client: { policy: 'rotate', refreshTtlSec: 2 * 3600, refreshIdleTtlSec: 600 } });

  describe('a refresh token', () => {
    it('is active with its scope, owner, person, expiry and issue time, and no token type', async () => {
      const { refreshToken, grant } = await aGrant(t.kt, t.client, t.person);
      t.clock.advance(MINUTE);
      expect(await introspectToken(t.kt, t.client, refreshToken)).toEqual({
        active: true,
        scope: grant.scope,
        client_id: t.client.id,
        sub: t.person.user.id,
        exp: (T0 + 2 * HOUR) / 1000,
        iat: T0 / 1000,
        iss: t.kt.config.issuer,
        auth_time: T0 / 1000,
      });
    });

    it('is inactive once spent by rotation, while its successor is active from the rotation on', async () => {
      const { refreshToken } = await aGrant(t.kt, t.client, t.person);
      t.clock.advance(MINUTE);
      const next = (await refreshTokens(t.kt, t.client, { refreshToken })).refresh_token!;
      expect(await introspectToken(t.kt, t.client, refreshToken)).toEqual(INACTIVE);
      expect(await introspectToken(t.kt, t.client, next)).toMatchObject({ active: true, iat: (T0 + MINUTE) / 1000, exp: (T0 + 2 * HOUR) / 1000 });
    });

    it('is inactive once revoked', async () => {
      const { refreshToken } = await aGrant(t.kt, t.client, t.person);
      await revokeToken(t.kt, t.client, refreshToken);
      expect(await introspectToken(t.kt, t.client, refreshToken)).toEqual(INACTIVE);
    });

    it('is inactive from its absolute expiry on', async () => {
      const { client: noIdle } = await aClient(t.kt, { refreshTtlSec: 2 * 3600 });
      const { refreshToken } = await aGrant(t.kt, noIdle, t.person);
      t.clock.set(T0 + 2 * HOUR - 1);
      expect(await introspectToken(t.kt, noIdle, refreshToken)).toMatchObject({ active: true });
      t.clock.set(T0 + 2 * HOUR);
      expect(await introspectToken(t.kt, noIdle, refreshToken)).toEqual(INACTIVE);
    });

    it('is inactive once the idle lifetime has passed without use', async () => {
      const { refreshToken } = await aGrant(t.kt, t.client, t.person);
      t.clock.set(T0 + 600 * SECOND - 1);
      expect(await introspectToken(t.kt, t.client, refreshToken)).toMatchObject({ active: true });
      t.clock.set(T0 + 600 * SECOND);
      expect(await introspectToken(t.kt, t.client, refreshToken)).toEqual(INACTIVE);
    });

    it("ignores another client's token and an unknown one alike", async () => {
      const { client: other } = await aClient(t.kt);
      const { refreshToken } = await aGrant(t.kt, t.client, t.person);
      expect(await introspectToken(t.kt, other, refreshToken)).toEqual(INACTIVE);
      expect(await introspectToken(t.kt, t.client, 'never-issued')).toEqual(INACTIVE);
    });
  });

  describe('an access token', () => {
    it('is active with its claims and token type Bearer', async () => {
      const { tokens, grant } = await aGrant(t.kt, t.client, t.person);
      const { jti } = decodeJwt(tokens.access_token);
      expect(await introspectToken(t.kt, t.client, tokens.access_token)).toEqual({
        active: true,
        scope: grant.scope,
        client_id: t.client.id,
        sub: t.person.user.id,
        exp: T0 / 1000 + 3600,
        iat: T0 / 1000,
        iss: t.kt.config.issuer,
        token_type: 'Bearer',
        jti,
        aud: t.client.id,
        auth_time: T0 / 1000,
      });
    });

    it('is inactive for another client, once its grant is revoked, and at its expiry', async () => {
      const { client: other } = await aClient(t.kt);
      const revoked = await aGrant(t.kt, t.client, t.person);
      const expiring = await aGrant(t.kt, t.client, t.person);
      expect(await introspectToken(t.kt, other, expiring.tokens.access_token)).toEqual(INACTIVE);
      await t.kt.repo.revokeGrant(revoked.grant.id, T0, 'revoked_by_client');
      expect(await introspectToken(t.kt, t.client, revoked.tokens.access_token)).toEqual(INACTIVE);
      t.clock.set(T0 + HOUR);
      expect(await introspectToken(t.kt, t.client, expiring.tokens.access_token)).toEqual(INACTIVE);
    });
  });
});
