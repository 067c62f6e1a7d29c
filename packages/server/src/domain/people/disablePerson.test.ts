/** Disabling and enabling a person: what stops working at once, what the status check covers, and the audit trail. */
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../test-support/audit.js';
import { ADDRESS, aCode, aGrant, PASSWORD, refusal, useDomainContext } from '../../test-support/domain.js';
import { signIn } from '../signIn.js';
import { resolveSso } from '../sso.js';
import { exchangeCode } from '../tokens/exchangeCode.js';
import { refreshTokens } from '../tokens/refresh.js';
import { verifyAccessToken } from '../tokens/verifyAccessToken.js';
import { disablePerson } from './disablePerson.js';
import { enablePerson } from './enablePerson.js';

describe('disablePerson', () => {
  const t = useDomainContext();

  it('ends every grant and SSO session, so the refresh token, the NPSSO and the access token stop working at once', async () => {
    const { tokens, refreshToken } = await aGrant(t.kt, t.client, t.person);
    const { npsso } = await signIn(t.kt, { email: t.person.email, password: PASSWORD, address: ADDRESS });
    const result = await disablePerson(t.kt, t.person.email.toUpperCase());
    expect(result).toMatchObject({ apps: 1, browsers: 2, user: { id: t.person.user.id, status: 'disabled' } });
    expect(await resolveSso(t.kt, npsso)).toBeNull();
    expect(await verifyAccessToken(t.kt, tokens.access_token)).toBeNull();
    await expect(refreshTokens(t.kt, t.client, { refreshToken })).rejects.toMatchObject(refusal('invalid_grant', 'the refresh token has been revoked'));
    await expect(signIn(t.kt, { email: t.person.email, password: PASSWORD, address: ADDRESS })).rejects.toMatchObject({ code: 'ERR_ACCOUNT_DISABLED' });
    expect((await t.kt.repo.findUserById(t.person.user.id))?.status).toBe('disabled');
  });

  it('refuses what was issued while it ran: the status is checked whenever a token or session is used', async () => {
    const { tokens, refreshToken } = await aGrant(t.kt, t.client, t.person);
    const pending = await aCode(t.kt, t.client, t.person);
    const { npsso } = await signIn(t.kt, { email: t.person.email, password: PASSWORD, address: ADDRESS });
    // Only the status, as if the grants and sessions had been issued after disablePerson ended them.
    await t.kt.repo.setUserStatus(t.person.user.id, 'disabled');
    expect(await resolveSso(t.kt, npsso)).toBeNull();
    expect(await verifyAccessToken(t.kt, tokens.access_token)).toBeNull();
    await expect(refreshTokens(t.kt, t.client, { refreshToken })).rejects.toMatchObject(refusal('invalid_grant', 'the account is disabled'));
    await expect(exchangeCode(t.kt, t.client, { code: pending.code, redirectUri: pending.redirectUri })).rejects.toMatchObject(refusal('invalid_grant', 'the account is disabled'));
  });

  it('refuses an email nobody has', async () => {
    await expect(disablePerson(t.kt, 'nobody@example.com')).rejects.toMatchObject({ name: 'ManagementError', code: 'ERR_NOT_FOUND', message: 'no user with email nobody@example.com' });
  });

  it('is recorded as done by the operator, with what it ended', async () => {
    await aGrant(t.kt, t.client, t.person);
    await disablePerson(t.kt, t.person.email);
    await enablePerson(t.kt, t.person.email);
    const events = await t.kt.repo.listAuditEvents({ userId: t.person.user.id, newestFirst: true, limit: 2 });
    expect(events.map((e) => [e.type, e.actor, e.detail])).toEqual([
      ['user.enabled', 'operator', null],
      ['user.disabled', 'operator', '1 apps, 1 browsers signed out'],
    ]);
  });
});

describe('enablePerson', () => {
  const t = useDomainContext();

  it('lets a disabled person sign in again, and brings back nothing that disabling ended', async () => {
    const { refreshToken } = await aGrant(t.kt, t.client, t.person);
    await disablePerson(t.kt, t.person.email);
    expect(await enablePerson(t.kt, t.person.email)).toMatchObject({ id: t.person.user.id, status: 'active' });
    await expect(refreshTokens(t.kt, t.client, { refreshToken })).rejects.toMatchObject(refusal('invalid_grant', 'the refresh token has been revoked'));
    const { npsso } = await signIn(t.kt, { email: t.person.email, password: PASSWORD, address: ADDRESS });
    expect((await resolveSso(t.kt, npsso))?.user.id).toBe(t.person.user.id);
    expect((await auditEvents(t.kt, { userId: t.person.user.id })).at(-1)).toEqual({ type: 'signin.succeeded', email: t.person.email, clientId: null, actor: 'person' });
  });
});
