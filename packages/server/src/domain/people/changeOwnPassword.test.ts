/** A person changes their own password: the current one is required, the rules apply, other sessions end, this one stays. */
import { describe, expect, it } from 'vitest';
import { ADDRESS, aGrant, PASSWORD, refusal, useDomainContext } from '../../test-support/domain.js';
import { signIn } from '../signIn.js';
import { resolveSso, type LiveSso } from '../sso.js';
import { refreshTokens } from '../tokens/refresh.js';
import { changeOwnPassword } from './changeOwnPassword.js';

const NEW_PASSWORD = 'violet kettle anchor moss';

describe('changeOwnPassword', () => {
  const t = useDomainContext({ config: { loginLockAfter: 3 } });
  const signedIn = async (): Promise<{ npsso: string; live: LiveSso }> => {
    const { npsso } = await signIn(t.kt, { email: t.person.email, password: PASSWORD, address: ADDRESS });
    return { npsso, live: (await resolveSso(t.kt, npsso))! };
  };

  it('replaces the password, signs out every app and every other browser, and keeps this browser signed in', async () => {
    const { refreshToken } = await aGrant(t.kt, t.client, t.person);
    const other = await signedIn();
    const here = await signedIn();
    expect(await changeOwnPassword(t.kt, here.live, { current: PASSWORD, next: NEW_PASSWORD, address: ADDRESS })).toEqual({ apps: 1, browsers: 2 });
    expect((await resolveSso(t.kt, here.npsso))?.user.id).toBe(t.person.user.id);
    expect(await resolveSso(t.kt, other.npsso)).toBeNull();
    await expect(refreshTokens(t.kt, t.client, { refreshToken })).rejects.toMatchObject(refusal('invalid_grant', 'the refresh token has been revoked'));
    expect((await signIn(t.kt, { email: t.person.email, password: NEW_PASSWORD, address: ADDRESS })).userId).toBe(t.person.user.id);
    const [last] = await t.kt.repo.listAuditEvents({ userId: t.person.user.id, newestFirst: true, limit: 2 });
    expect(last).toMatchObject({ type: 'signin.succeeded' });
    expect((await t.kt.repo.listAuditEvents({ userId: t.person.user.id })).find((e) => e.type === 'password.changed')).toMatchObject({ actor: 'person', address: ADDRESS, detail: '1 apps, 2 other browsers signed out' });
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const here = await signedIn();
    const before = await t.kt.repo.findUserById(t.person.user.id);
    await expect(changeOwnPassword(t.kt, here.live, { current: 'not my password', next: NEW_PASSWORD })).rejects.toMatchObject({
      name: 'PasswordChangeError',
      code: 'ERR_WRONG_PASSWORD',
      message: 'Your current password is not right. Nothing was changed.',
    });
    expect(await t.kt.repo.findUserById(t.person.user.id)).toEqual(before);
  });

  it('refuses a new password the rules refuse, saying why', async () => {
    const here = await signedIn();
    await expect(changeOwnPassword(t.kt, here.live, { current: PASSWORD, next: 'aaaaaaaaaaaa' })).rejects.toMatchObject({
      code: 'ERR_WEAK_PASSWORD',
      message: expect.stringMatching(/^The password repeats one character or a short pattern, which is guessed at once: .*12 characters or more.*\.$/),
    });
  });

  it('counts wrong current passwords with failed sign-ins, and stops answering past the limit', async () => {
    const here = await signedIn();
    await expect(signIn(t.kt, { email: t.person.email, password: 'guess one', address: ADDRESS })).rejects.toMatchObject({ code: 'ERR_INVALID_CREDENTIALS' });
    for (const guess of ['guess two', 'guess three']) {
      await expect(changeOwnPassword(t.kt, here.live, { current: guess, next: NEW_PASSWORD })).rejects.toMatchObject({ code: 'ERR_WRONG_PASSWORD' });
    }
    await expect(changeOwnPassword(t.kt, here.live, { current: PASSWORD, next: NEW_PASSWORD })).rejects.toMatchObject({ code: 'ERR_TOO_MANY_ATTEMPTS', message: 'Too many wrong passwords. Try again in 15 minutes.' });
  });
});
