/**
 * Behind reverse proxies (KEYTURN_TRUST_PROXY=N): the sign-in limits count the address the
 * nearest proxies saw, not whatever a client writes into X-Forwarded-For itself.
 */
import { describe, expect, it } from 'vitest';
import { Browser } from '../test-support/browser.js';
import { aPerson, PASSWORD } from '../test-support/people.js';
import { startTestServer, useServer, type TestServer } from '../test-support/server.js';

/** One sign-in as it arrives from our proxy: `forwarded` is the X-Forwarded-For it passes on. */
async function signInVia(s: TestServer, forwarded: string, email: string, password: string): Promise<number> {
  return (await new Browser(s).signIn(email, password, {}, { 'x-forwarded-for': forwarded })).status;
}

describe('sign-in limits behind one trusted proxy', () => {
  const f = useServer({ env: { KEYTURN_TRUST_PROXY: '1' }, config: { loginSlowAfter: 100, loginLockAfter: 4 } }, async (s) => {
    const ada = await aPerson(s);
    return { ada };
  });

  it('reads the hop count from KEYTURN_TRUST_PROXY', () => {
    expect(f.s.kt.config.trustProxyHops).toBe(1);
  });

  it('limits a client that rotates the X-Forwarded-For entries it writes itself, by the address our proxy appended', async () => {
    const { s, ada } = f;
    // The client sends "X-Forwarded-For: <made up>"; our proxy appends the real 203.0.113.9.
    for (let i = 0; i < 4; i++) expect(await signInVia(s, `10.9.${i}.1, 203.0.113.9`, `nobody${i}@example.com`, 'guess')).toBe(401);
    expect(await signInVia(s, '10.9.99.1, 203.0.113.9', ada.email, PASSWORD)).toBe(429);
    // Another real client behind the same proxy is not affected.
    expect(await signInVia(s, '203.0.113.10', ada.email, PASSWORD)).toBe(303);
  });
});

describe('the trust-proxy setting', () => {
  it('refuses a hop count that is not a whole number', async () => {
    await expect(startTestServer({ env: { KEYTURN_TRUST_PROXY: 'yes' } })).rejects.toThrow(/--trust-proxy \(KEYTURN_TRUST_PROXY\) must be a whole number of proxies/);
  });
});
