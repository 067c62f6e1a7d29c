/** The operator's password reset: the rules, the old password and every session gone. */
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../test-support/audit.js';
import { ADDRESS, aGrant, PASSWORD, refusal, useDomainContext } from '../../test-support/domain.js';
import { signIn } from '../signIn.js';
import { resolveSso } from '../sso.js';
import { refreshTokens } from '../tokens/refresh.js';
import { setPassword } from './setPassword.js';

const NEW_PASSWORD = 'violet kettle anchor moss';

describe('setPassword', () => {
  const t = useDomainContext();

  it('replaces the password and ends every grant and SSO session of the person', async () => {
    const { refreshToken } = await aGrant(t.kt, t.client, t.person);
    const { npsso } = await signIn(t.kt, { email: t.person.email, password: PASSWORD, address: ADDRESS });
    expect(await setPassword(t.kt, t.person.email, NEW_PASSWORD)).toMatchObject({ apps: 1, browsers: 2 });
    expect(await resolveSso(t.kt, npsso)).toBeNull();
    await expect(refreshTokens(t.kt, t.client, { refreshToken })).rejects.toMatchObject(refusal('invalid_grant', 'the refresh token has been revoked'));
    await expect(signIn(t.kt, { email: t.person.email, password: PASSWORD, address: ADDRESS })).rejects.toMatchObject({ code: 'ERR_INVALID_CREDENTIALS' });
    expect((await signIn(t.kt, { email: t.person.email, password: NEW_PASSWORD, address: ADDRESS })).userId).toBe(t.person.user.id);
    expect((await auditEvents(t.kt, { userId: t.person.user.id })).map((e) => [e.type, e.actor])).toContainEqual(['password.changed', 'operator']);
  });

  it.each(['password', 'aaaaaaaaaaaa', '123456789012', 'short'])('refuses %s, says why, and changes nothing', async (weak) => {
    const before = await t.kt.repo.findUserById(t.person.user.id);
    await expect(setPassword(t.kt, t.person.email, weak)).rejects.toMatchObject({ name: 'ManagementError', code: 'ERR_INVALID', message: expect.stringMatching(/common and breached|repeats one character|at least 8 characters/) });
    expect(await t.kt.repo.findUserById(t.person.user.id)).toEqual(before);
  });
});
