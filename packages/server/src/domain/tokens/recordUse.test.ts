/** Recording a grant's last use: to within a precision, so a busy refresh token does not write on every refresh. */
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../test-support/clock.js';
import { aClient, aGrant, refusal, T0, useDomainContext } from '../../test-support/domain.js';
import { lookupRefreshToken } from './lookupRefreshToken.js';
import { LAST_USED_PRECISION_MS, lastUsedPrecisionMs } from './recordUse.js';
import { refreshTokens } from './refresh.js';

describe('recording the last use of a grant on refresh', () => {
  const t = useDomainContext({ client: { policy: 'reuse' } });
  const lastUsedAt = async (id: string) => (await t.kt.repo.getGrant(id))?.lastUsedAt;

  it('leaves lastUsedAt alone within 60 s of the stored time and moves it once 60 s have passed', async () => {
    const { refreshToken, grant } = await aGrant(t.kt, t.client, t.person);
    t.clock.set(T0 + LAST_USED_PRECISION_MS - 1);
    await refreshTokens(t.kt, t.client, { refreshToken });
    expect(await lastUsedAt(grant.id)).toBe(T0);
    t.clock.set(T0 + LAST_USED_PRECISION_MS);
    await refreshTokens(t.kt, t.client, { refreshToken });
    expect(await lastUsedAt(grant.id)).toBe(T0 + LAST_USED_PRECISION_MS);
  });

  it('keeps a short idle lifetime exact to 1% of it: 6 s for 600 s', async () => {
    const { client } = await aClient(t.kt, { refreshIdleTtlSec: 600 });
    expect(lastUsedPrecisionMs(client)).toBe(6 * SECOND);
    expect(lastUsedPrecisionMs({ ...client, refreshIdleTtlSec: 30 * 86_400 })).toBe(LAST_USED_PRECISION_MS);
    expect(lastUsedPrecisionMs({ ...client, refreshIdleTtlSec: null })).toBe(LAST_USED_PRECISION_MS);
    const { refreshToken, grant } = await aGrant(t.kt, client, t.person);
    t.clock.set(T0 + 6 * SECOND - 1);
    await refreshTokens(t.kt, client, { refreshToken });
    expect(await lastUsedAt(grant.id)).toBe(T0);
    t.clock.set(T0 + 6 * SECOND);
    await refreshTokens(t.kt, client, { refreshToken });
    expect(await lastUsedAt(grant.id)).toBe(T0 + 6 * SECOND);
  });

  it('never lets a token outlive its idle lifetime counted from the stored last use, even after an unrecorded use', async () => {
    const { client } = await aClient(t.kt, { refreshIdleTtlSec: 600 });
    const { refreshToken } = await aGrant(t.kt, client, t.person);
    t.clock.set(T0 + 5 * SECOND);
    await refreshTokens(t.kt, client, { refreshToken });
    t.clock.set(T0 + 600 * SECOND);
    expect(await lookupRefreshToken(t.kt, client, refreshToken)).toMatchObject({ live: false, reason: 'idle' });
    await expect(refreshTokens(t.kt, client, { refreshToken })).rejects.toMatchObject(
      refusal('invalid_grant', 'the refresh token has expired after a period without use'),
    );
  });
});
