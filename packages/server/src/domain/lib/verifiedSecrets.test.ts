/** The verified-secret cache and its single flight: one verification per (client, stored hash, secret) at a time. */
import { describe, expect, it } from 'vitest';
import { gate } from '../../test-support/gate.js';
import { VerifiedSecrets } from './verifiedSecrets.js';

describe('VerifiedSecrets.verifyOnce', () => {
  it('lets concurrent callers with the same client and secret share one running verification, and remembers a right verdict', async () => {
    const cache = new VerifiedSecrets(() => 0);
    const check = gate(true);
    const first = cache.verifyOnce('app', 'phc', 'secret', check.task);
    const second = cache.verifyOnce('app', 'phc', 'secret', () => Promise.reject(new Error('a second verification ran')));
    expect([first.joined, second.joined]).toEqual([false, true]);
    expect(cache.has('app', 'phc', 'secret')).toBe(false);
    check.open();
    expect(await Promise.all([first.verdict, second.verdict])).toEqual([true, true]);
    expect(cache.has('app', 'phc', 'secret')).toBe(true);
  });

  it('keeps other secrets, clients and stored hashes apart, and starts afresh once a verification ended', async () => {
    const cache = new VerifiedSecrets(() => 0);
    const check = gate(false);
    const running = cache.verifyOnce('app', 'phc', 'guess', check.task);
    for (const [client, phc, secret] of [['app', 'phc', 'other-guess'], ['other-app', 'phc', 'guess'], ['app', 'new-phc', 'guess']] as const) {
      const apart = cache.verifyOnce(client, phc, secret, async () => null);
      expect(apart.joined).toBe(false);
      expect(await apart.verdict).toBeNull();
    }
    check.open();
    expect(await running.verdict).toBe(false);
    expect(cache.has('app', 'phc', 'guess')).toBe(false);
    const again = cache.verifyOnce('app', 'phc', 'guess', async () => true);
    expect(again.joined).toBe(false);
    expect(await again.verdict).toBe(true);
  });
});
