/** Sign-in with email and password: the SSO session it starts, the answer to wrong credentials, slowing down and locking out. */
import { describe, expect, it } from 'vitest';
import { MINUTE } from '../test-support/clock.js';
import { ADDRESS, aPerson, PASSWORD, T0, useDomainContext } from '../test-support/domain.js';
import { NPSSO_PATTERN, resolveSso } from './sso.js';
import { signIn } from './signIn.js';

const WRONG = { name: 'SignInError', code: 'ERR_INVALID_CREDENTIALS', message: 'Wrong email or password.' };
const LOCKED = { name: 'SignInError', code: 'ERR_TOO_MANY_ATTEMPTS', message: 'Too many failed sign-ins. Try again in 15 minutes.', retryAfterSec: 900 };

describe('signIn', () => {
  const t = useDomainContext({ config: { loginLockAfter: 3, loginSlowAfter: 100 } });
  const attempt = (email: string, password: string, address = ADDRESS) => signIn(t.kt, { email, password, address });

  it('starts an SSO session for the right password, living ssoTtlSec, that resolves to the person', async () => {
    const result = await signIn(t.kt, { email: t.person.email, password: PASSWORD, address: ADDRESS, userAgent: 'A'.repeat(300) });
    expect(result).toEqual({ npsso: expect.stringMatching(NPSSO_PATTERN), userId: t.person.user.id, expiresAt: T0 + 60 * 86_400_000 });
    const live = await resolveSso(t.kt, result.npsso);
    expect(live?.user).toEqual(t.person.user);
    expect(live?.session).toMatchObject({ userId: t.person.user.id, authTime: T0, createdAt: T0, expiresAt: T0 + 60 * 86_400_000, revokedAt: null, userAgent: 'A'.repeat(256) });
  });

  it('finds the account whatever the case and surrounding spaces of the email', async () => {
    expect((await attempt(`  ${t.person.email.toUpperCase()} `, PASSWORD)).userId).toBe(t.person.user.id);
  });

  it('answers a wrong password and an unknown email with the same error', async () => {
    await expect(attempt(t.person.email, 'not the password')).rejects.toMatchObject(WRONG);
    await expect(attempt('nobody@example.com', PASSWORD)).rejects.toMatchObject(WRONG);
    await expect(attempt('bad\0@example.com', PASSWORD)).rejects.toMatchObject(WRONG);
  });

  it('refuses even the right password past loginLockAfter failures, until the window has passed', async () => {
    for (let i = 0; i < 3; i++) await expect(attempt(t.person.email, 'not the password', `192.0.2.${i}`)).rejects.toMatchObject(WRONG);
    await expect(attempt(t.person.email, PASSWORD, '192.0.2.99')).rejects.toMatchObject(LOCKED);
    t.clock.advance(15 * MINUTE);
    expect((await attempt(t.person.email, PASSWORD)).userId).toBe(t.person.user.id);
  });

  it('locks an address that guesses across accounts, and no other address', async () => {
    const other = await aPerson(t.kt);
    await expect(attempt(t.person.email, 'not the password')).rejects.toMatchObject(WRONG);
    await expect(attempt(other.email, 'not the password')).rejects.toMatchObject(WRONG);
    await expect(attempt('nobody@example.com', 'not the password')).rejects.toMatchObject(WRONG);
    await expect(attempt(other.email, PASSWORD)).rejects.toMatchObject(LOCKED);
    expect((await attempt(other.email, PASSWORD, '192.0.2.1')).userId).toBe(other.user.id);
  });

  it("starts the account's count afresh after a success", async () => {
    for (let round = 0; round < 2; round++) {
      await expect(attempt(t.person.email, 'not the password', '192.0.2.1')).rejects.toMatchObject(WRONG);
      await expect(attempt(t.person.email, 'not the password', '192.0.2.2')).rejects.toMatchObject(WRONG);
      expect((await attempt(t.person.email, PASSWORD, '192.0.2.3')).userId).toBe(t.person.user.id);
    }
  });

  it('slows the answer to a failure past loginSlowAfter', async () => {
    Object.assign(t.kt.config, { loginSlowAfter: 1 });
    const started = performance.now();
    await expect(attempt(t.person.email, 'not the password')).rejects.toMatchObject(WRONG);
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
  });
});
