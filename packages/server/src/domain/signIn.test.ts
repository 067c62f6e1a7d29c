/** Sign-in with email and password: the SSO session it starts, the answer to wrong credentials, slowing down and locking out. */
import { describe, expect, it } from 'vitest';
import { gate } from '../test-support/gate.js';
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

describe('signIn under address grouping and a full argon2 queue', () => {
  const t = useDomainContext({ config: { loginLockAfter: 3, loginSlowAfter: 100, hashQueueLength: 1 } });
  const attempt = (email: string, password: string, address: string) => signIn(t.kt, { email, password, address });

  it('counts IPv6 addresses by their /64: new addresses of one network are locked together, another network is not', async () => {
    for (let n = 1; n <= 3; n++) await expect(attempt(`guess${n}@example.com`, 'not the password', `2001:db8:1:2::${n}`)).rejects.toMatchObject(WRONG);
    await expect(attempt(t.person.email, PASSWORD, '2001:db8:1:2:ffff::4')).rejects.toMatchObject(LOCKED);
    expect((await attempt(t.person.email, PASSWORD, '2001:db8:1:3::1')).userId).toBe(t.person.user.id);
  });

  it('counts sign-ins without a known address in one shared bucket', async () => {
    for (let n = 1; n <= 3; n++) await expect(signIn(t.kt, { email: `guess${n}@example.com`, password: 'x', address: undefined })).rejects.toMatchObject(WRONG);
    await expect(signIn(t.kt, { email: t.person.email, password: PASSWORD, address: undefined })).rejects.toMatchObject(LOCKED);
  });

  it('answers temporarily_unavailable (503, Retry-After) when the argon2 queue is full, without counting the attempt', async () => {
    const [running, waiting] = [gate(), gate()];
    const busy = [t.kt.hashing.run(running.task), t.kt.hashing.run(waiting.task)];
    await expect(attempt(t.person.email, 'not the password', ADDRESS)).rejects.toMatchObject({ name: 'OAuthError', error: 'temporarily_unavailable', status: 503, retryAfterSec: 1 });
    expect(await t.kt.attempts.peek(`addr:${ADDRESS}`)).toBe(0);
    running.open();
    waiting.open();
    await Promise.all(busy);
    expect((await attempt(t.person.email, PASSWORD, ADDRESS)).userId).toBe(t.person.user.id);
  });
});

describe('signIn of a disabled person', () => {
  const t = useDomainContext({ config: { loginLockAfter: 3, loginSlowAfter: 100 } });
  const DISABLED = { name: 'SignInError', code: 'ERR_ACCOUNT_DISABLED', message: 'This account is disabled. Ask the administrator of this service to enable it again.' };

  it('says the account is disabled only after the right password, and starts no session', async () => {
    await t.kt.repo.setUserStatus(t.person.user.id, 'disabled');
    await expect(signIn(t.kt, { email: t.person.email, password: 'not the password', address: ADDRESS })).rejects.toMatchObject(WRONG);
    await expect(signIn(t.kt, { email: t.person.email, password: PASSWORD, address: ADDRESS })).rejects.toMatchObject(DISABLED);
    expect(await t.kt.repo.listActiveSsoSessionsForUser(t.person.user.id, t.kt.now())).toEqual([]);
  });
});

describe('signIn in the audit trail', () => {
  const t = useDomainContext({ config: { loginLockAfter: 3, loginSlowAfter: 100 } });

  it('records each failure, the failure that locks, and a success, with the email and address; not the refused attempts while locked', async () => {
    t.clock.advance(1);
    const since = t.kt.now();
    await signIn(t.kt, { email: t.person.email, password: PASSWORD, address: ADDRESS });
    await expect(signIn(t.kt, { email: 'Nobody@Example.com', password: 'x', address: '192.0.2.1' })).rejects.toMatchObject(WRONG);
    for (let i = 0; i < 3; i++) await expect(signIn(t.kt, { email: t.person.email, password: 'wrong', address: '192.0.2.2' })).rejects.toMatchObject(WRONG);
    await expect(signIn(t.kt, { email: t.person.email, password: PASSWORD, address: '192.0.2.3' })).rejects.toMatchObject(LOCKED);
    const events = await t.kt.repo.listAuditEvents({ since });
    expect(events.map((e) => [e.type, e.email, e.address, e.userId])).toEqual([
      ['signin.succeeded', t.person.email, ADDRESS, t.person.user.id],
      ['signin.failed', 'nobody@example.com', '192.0.2.1', null],
      ['signin.failed', t.person.email, '192.0.2.2', t.person.user.id],
      ['signin.failed', t.person.email, '192.0.2.2', t.person.user.id],
      ['signin.failed', t.person.email, '192.0.2.2', t.person.user.id],
      ['signin.locked', t.person.email, '192.0.2.2', t.person.user.id],
    ]);
    expect(events.map((e) => e.detail)).toEqual([null, 'no such account', 'wrong password', 'wrong password', 'wrong password', '3 failed attempts; locked for 900 s']);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });
});
