/**
 * Regression (issue 9, finding 8): a client whose refresh answer was lost in an outage, and who
 * retries once the server is back, gets the same successor — if nobody used that successor, the
 * retry comes within `rotationRetryAfterRestartSec` of the new start and the outage lasted at
 * most `rotationRetryMaxOutageSec`. Any other reuse still revokes the family. And nothing that
 * can fail runs after the spend, so a failing database or key store leaves the token unspent.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKeyturn } from '../../compose.js';
import { HOUR, MINUTE, SECOND } from '../../test-support/clock.js';
import { aGrant, refreshTokenRecord, refusal, useDomainContext, type TestGrant } from '../../test-support/domain.js';
import type { Keyturn } from '../context.js';
import { refreshTokens } from './refresh.js';
import { retryWindowOpen, successorOf } from './rotateRefreshToken.js';

const REUSED = refusal('invalid_grant', 'the refresh token was already used; every token of this sign-in has been revoked');
const REVOKED = refusal('invalid_grant', 'the refresh token has been revoked');

describe('a rotation retry across a restart', () => {
  const t = useDomainContext({ client: { policy: 'rotate' }, database: 'file' });
  let first: TestGrant;
  let restarted: Keyturn | null = null;
  const refresh = async (kt: Keyturn, token: string) => (await refreshTokens(kt, t.client, { refreshToken: token })).refresh_token!;
  /** A new process on the same database, started at the frozen clock's current time. */
  const restart = async () => (restarted = await createKeyturn(t.kt.config, { now: t.clock.now }));

  beforeEach(async () => {
    first = await aGrant(t.kt, t.client, t.person);
  });
  afterEach(async () => {
    await restarted?.close();
    restarted = null;
  });

  it('gives the unused successor to a retry after an outage longer than the retry window, within a minute of the restart', async () => {
    expect(t.kt.config).toMatchObject({ rotationRetryWindowSec: 10, rotationRetryAfterRestartSec: 60, rotationRetryMaxOutageSec: 3600 });
    const lost = await refresh(t.kt, first.refreshToken);
    t.clock.advance(5 * MINUTE);
    const kt = await restart();
    t.clock.advance(60 * SECOND);
    expect(await refresh(kt, first.refreshToken)).toBe(lost);
    expect(await refresh(kt, first.refreshToken)).toBe(lost);
    expect((await kt.repo.getGrant(first.grant.id))?.revokedAt).toBeNull();
    expect(await refresh(kt, lost)).toBe(successorOf(kt, lost));
  });

  it('still revokes the family for reuse after a restart once the successor was used', async () => {
    const second = await refresh(t.kt, first.refreshToken);
    const third = await refresh(t.kt, second);
    t.clock.advance(5 * MINUTE);
    const kt = await restart();
    await expect(refresh(kt, first.refreshToken)).rejects.toMatchObject(REUSED);
    expect(await kt.repo.getGrant(first.grant.id)).toMatchObject({ revokedReason: 'refresh_token_reuse' });
    await expect(refresh(kt, third)).rejects.toMatchObject(REVOKED);
  });

  it('revokes the family for a retry more than a minute after the restart', async () => {
    await refresh(t.kt, first.refreshToken);
    t.clock.advance(5 * MINUTE);
    const kt = await restart();
    t.clock.advance(60 * SECOND + 1);
    await expect(refresh(kt, first.refreshToken)).rejects.toMatchObject(REUSED);
  });

  it('does not cover a token spent more than rotationRetryMaxOutageSec before the restart', async () => {
    await refresh(t.kt, first.refreshToken);
    t.clock.advance(HOUR + 1);
    const kt = await restart();
    await expect(refresh(kt, first.refreshToken)).rejects.toMatchObject(REUSED);
  });

  it('revokes the family for a late retry when the server did not restart, as before', async () => {
    await refresh(t.kt, first.refreshToken);
    t.clock.advance(5 * MINUTE);
    await expect(refresh(t.kt, first.refreshToken)).rejects.toMatchObject(REUSED);
  });

  it('opens the window after the spend, and after a later start only within the outage covered', () => {
    const kt = { ...t.kt, startedAt: 100 * SECOND, config: { ...t.kt.config, rotationRetryAfterRestartSec: 30, rotationRetryMaxOutageSec: 50 } };
    expect(retryWindowOpen(kt, 90 * SECOND, 100 * SECOND)).toBe(true); // 10 s after the spend
    expect(retryWindowOpen(kt, 90 * SECOND, 130 * SECOND)).toBe(true); // 30 s after the start
    expect(retryWindowOpen(kt, 90 * SECOND, 130 * SECOND + 1)).toBe(false);
    expect(retryWindowOpen(kt, 50 * SECOND, 110 * SECOND)).toBe(true); // an outage of 50 s
    expect(retryWindowOpen(kt, 50 * SECOND - 1, 110 * SECOND)).toBe(false);
    expect(retryWindowOpen(kt, 120 * SECOND, 131 * SECOND - 1)).toBe(false); // spent after the start: 10 s only
    expect(retryWindowOpen({ ...kt, config: { ...kt.config, rotationRetryAfterRestartSec: 0 } }, 90 * SECOND, 100 * SECOND + 1)).toBe(false);
  });
});

describe('a refresh that fails before it answers', () => {
  const t = useDomainContext({ client: { policy: 'rotate' } });

  it('leaves the token unspent when the database or the key store fails, so a retry an hour later still works', async () => {
    const { refreshToken } = await aGrant(t.kt, t.client, t.person);
    // Past the precision of the last-use record (recordUse.ts), so this refresh writes it before the spend.
    t.clock.advance(2 * MINUTE);
    vi.spyOn(t.kt.repo, 'touchGrant').mockRejectedValueOnce(new Error('database gone'));
    await expect(refreshTokens(t.kt, t.client, { refreshToken })).rejects.toThrow('database gone');
    vi.spyOn(t.kt.keys, 'activeKey').mockRejectedValueOnce(new Error('key store gone'));
    await expect(refreshTokens(t.kt, t.client, { refreshToken })).rejects.toThrow('key store gone');
    expect(await refreshTokenRecord(t.kt, refreshToken)).toMatchObject({ spentAt: null });
    t.clock.advance(HOUR);
    expect((await refreshTokens(t.kt, t.client, { refreshToken })).refresh_token).toBe(successorOf(t.kt, refreshToken));
  });
});
