/** The refresh grant from credentials: one query per refresh, and the same answers, in the same order, as authenticating first. */
import { describe, expect, it, vi } from 'vitest';
import { ADDRESS, aClient, aGrant, refusal, useDomainContext } from '../../test-support/domain.js';
import { refreshGrant } from './refreshGrant.js';

const failed = (method: string, description = 'client authentication failed') => ({ name: 'ClientAuthError', error: 'invalid_client', status: 401, method, description });

describe('refreshGrant', () => {
  const t = useDomainContext({ client: { policy: 'reuse' } });
  const credentials = (over: { id?: string; secret?: string } = {}) => ({ id: t.client.id, secret: t.secret!, method: 'client_secret_basic' as const, address: ADDRESS, ...over });

  it('refreshes with one storage read: the token, its grant, client and person together', async () => {
    const { refreshToken } = await aGrant(t.kt, t.client, t.person);
    const read = vi.spyOn(t.kt.repo, 'findRefreshTokenGrant');
    const getClient = vi.spyOn(t.kt.repo, 'getClient');
    const body = await refreshGrant(t.kt, credentials(), { refreshToken });
    expect(body.refresh_token).toBe(refreshToken);
    expect(read).toHaveBeenCalledTimes(1);
    expect(getClient).not.toHaveBeenCalled();
  });

  it('refuses a wrong secret as invalid_client even with a live token of that client', async () => {
    const { refreshToken } = await aGrant(t.kt, t.client, t.person);
    await expect(refreshGrant(t.kt, credentials({ secret: 'not-the-secret-at-all' }), { refreshToken })).rejects.toMatchObject(failed('client_secret_basic'));
  });

  it("authenticates a client presenting another client's token, then answers it as unknown", async () => {
    const { refreshToken } = await aGrant(t.kt, t.client, t.person);
    const other = await aClient(t.kt);
    await expect(refreshGrant(t.kt, credentials({ id: other.client.id }), { refreshToken })).rejects.toMatchObject(failed('client_secret_basic'));
    await expect(refreshGrant(t.kt, credentials({ id: other.client.id, secret: other.secret! }), { refreshToken })).rejects.toMatchObject(
      refusal('invalid_grant', 'the refresh token is invalid'),
    );
  });

  it('authenticates before it says a refresh token is missing or unknown', async () => {
    await expect(refreshGrant(t.kt, credentials({ secret: 'not-the-secret-at-all' }), {})).rejects.toMatchObject(failed('client_secret_basic'));
    await expect(refreshGrant(t.kt, credentials({ secret: 'not-the-secret-at-all' }), { refreshToken: 'never-issued' })).rejects.toMatchObject(failed('client_secret_basic'));
    await expect(refreshGrant(t.kt, credentials(), {})).rejects.toMatchObject(refusal('invalid_request', 'refresh_token is required'));
    await expect(refreshGrant(t.kt, credentials(), { refreshToken: 'never-issued' })).rejects.toMatchObject(refusal('invalid_grant', 'the refresh token is invalid'));
  });
});
