/** OpenID Connect Core 3.1.2.1: `max_age` and `prompt=login` decide whether the current sign-in may answer. */
import { describe, expect, it } from 'vitest';
import { SECOND } from '../test-support/clock.js';
import { aCode, refusal, useDomainContext } from '../test-support/domain.js';
import type { LiveSso } from './sso.js';
import { usableSignIn } from './usableSignIn.js';

describe('usableSignIn', () => {
  const t = useDomainContext();
  /** A sign-in made at the frozen clock's current time. */
  const signedInNow = async (): Promise<LiveSso> => (await aCode(t.kt, t.client, t.person)).sso;

  it('lets the current sign-in answer a request that asks nothing of it, however old', async () => {
    const sso = await signedInNow();
    t.clock.advance(59 * 86_400 * SECOND);
    expect(usableSignIn(t.kt, {}, sso)).toBe(sso);
    expect(usableSignIn(t.kt, { prompt: 'consent' }, sso)).toBe(sso);
  });

  it('asks for a new sign-in once the sign-in is older than max_age seconds, not at exactly max_age', async () => {
    const sso = await signedInNow();
    t.clock.advance(60 * SECOND);
    expect(usableSignIn(t.kt, { max_age: '60' }, sso)).toBe(sso);
    t.clock.advance(1);
    expect(usableSignIn(t.kt, { max_age: '60' }, sso)).toBeNull();
    expect(usableSignIn(t.kt, { max_age: '61' }, sso)).toBe(sso);
  });

  it('takes max_age=0 as "signed in this very moment"', async () => {
    const sso = await signedInNow();
    expect(usableSignIn(t.kt, { max_age: '0' }, sso)).toBe(sso);
    t.clock.advance(1);
    expect(usableSignIn(t.kt, { max_age: '0' }, sso)).toBeNull();
  });

  it('asks for a new sign-in for prompt=login, even one made this very moment', async () => {
    const sso = await signedInNow();
    expect(usableSignIn(t.kt, { prompt: 'login' }, sso)).toBeNull();
    expect(usableSignIn(t.kt, { prompt: 'consent login' }, sso)).toBeNull();
  });

  it('answers login_required with prompt=none instead of asking, saying why', async () => {
    const sso = await signedInNow();
    t.clock.advance(2 * SECOND);
    expect(() => usableSignIn(t.kt, { prompt: 'none', max_age: '1' }, sso)).toThrow(
      expect.objectContaining(refusal('login_required', 'the person signed in longer than max_age seconds ago')),
    );
    expect(() => usableSignIn(t.kt, { prompt: 'none' }, null)).toThrow(expect.objectContaining(refusal('login_required', 'the person is not signed in')));
    expect(usableSignIn(t.kt, { prompt: 'none', max_age: '2' }, sso)).toBe(sso);
  });

  it('refuses a max_age that is not a whole number of seconds, and prompt=none with another value', async () => {
    const sso = await signedInNow();
    for (const max_age of ['-1', '1.5', ' 5', '5s', '1e3', '12345678901']) {
      expect(() => usableSignIn(t.kt, { max_age }, sso)).toThrow(expect.objectContaining(refusal('invalid_request', 'max_age must be a whole number of seconds')));
    }
    expect(() => usableSignIn(t.kt, { prompt: 'none login' }, sso)).toThrow(
      expect.objectContaining(refusal('invalid_request', 'prompt=none cannot be combined with another prompt value')),
    );
  });

  it('sends a person who is not signed in to sign in', () => {
    expect(usableSignIn(t.kt, { max_age: '3600' }, null)).toBeNull();
  });
});
