/**
 * Behind reverse proxies (KEYTURN_TRUST_PROXY=N): the sign-in limits count the address the
 * nearest proxies saw, not whatever a client writes into X-Forwarded-For itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, cookieValue, type TestServer } from '../test-support/server.js';

const PASSWORD = 'correct horse battery';

/** One sign-in POST as it arrives from our proxy: `forwarded` is the X-Forwarded-For it passes on. */
async function signInVia(url: string, forwarded: string, email: string, password: string): Promise<number> {
  const form = await fetch(`${url}/signin`);
  const seed = cookieValue(form.headers.getSetCookie(), 'kt_csrf')!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await fetch(`${url}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `kt_csrf=${seed}`, 'x-forwarded-for': forwarded },
    body: new URLSearchParams({ email, password, csrf }).toString(),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('sign-in limits behind one trusted proxy', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { KEYTURN_TRUST_PROXY: '1' }, config: { loginSlowAfter: 100, loginLockAfter: 4 } });
    await s.addUser('ada@example.com', PASSWORD);
  });
  afterAll(() => s.close());

  it('reads the hop count from KEYTURN_TRUST_PROXY', () => {
    expect(s.kt.config.trustProxyHops).toBe(1);
  });

  it('limits a client that rotates the X-Forwarded-For entries it writes itself, by the address our proxy appended', async () => {
    // The client sends "X-Forwarded-For: <made up>"; our proxy appends the real 203.0.113.9.
    for (let i = 0; i < 4; i++) expect(await signInVia(s.url, `10.9.${i}.1, 203.0.113.9`, `nobody${i}@example.com`, 'guess')).toBe(401);
    expect(await signInVia(s.url, '10.9.99.1, 203.0.113.9', 'ada@example.com', PASSWORD)).toBe(429);
    // Another real client behind the same proxy is not affected.
    expect(await signInVia(s.url, '203.0.113.10', 'ada@example.com', PASSWORD)).toBe(303);
  });
});

describe('the trust-proxy setting', () => {
  it('refuses a hop count that is not a whole number', async () => {
    await expect(startTestServer({ env: { KEYTURN_TRUST_PROXY: 'yes' } })).rejects.toThrow(/--trust-proxy \(KEYTURN_TRUST_PROXY\) must be a whole number of proxies/);
  });
});
