/**
 * Attacks on the sign-in rate limits, from the outside: one machine spraying many emails,
 * many machines on one email, and forged X-Forwarded-For headers, which only count as the
 * address when the server is configured to trust a proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { Browser, setCookieLine, type Answer } from './test-support/attacks.js';

const PASSWORD = 'correct horse battery';
const LOCK = 5;
/** Lock after 5 failures, and no slowing down before (keeps the test fast). */
const LIMITS = { loginSlowAfter: 1000, loginLockAfter: LOCK };

/** A forged client address for every request, in every header proxies use. */
function spoofed(i: number): Record<string, string> {
  const ip = `203.0.113.${i}`;
  return { 'x-forwarded-for': ip, 'x-real-ip': ip, forwarded: `for=${ip}`, 'true-client-ip': ip, 'cf-connecting-ip': ip };
}

async function attempt(browser: Browser, email: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
  const form = await browser.get('/signin', headers);
  const csrf = /name="csrf" value="([^"]+)"/.exec(form.body)![1]!;
  return browser.post('/signin', { email, password, csrf }, headers);
}

function expectLocked(res: Answer) {
  expect(res.status).toBe(429);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(setCookieLine(res, 'npsso')).toBeUndefined();
}

describe('attacks on the sign-in limits (no proxy trusted, the default)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ config: LIMITS });
    await Promise.all(['ada', 'bob', 'cyd'].map((n) => s.addUser(`${n}@example.com`, PASSWORD)));
  });
  afterAll(() => s.close());

  it('locks out one address spraying many emails, even when it forges a new X-Forwarded-For each time', async () => {
    const attacker = new Browser(s.url, '127.0.8.1');
    for (let i = 0; i < LOCK; i++) {
      expect((await attempt(attacker, `victim${i}@example.com`, 'Password1!', spoofed(i))).status).toBe(401);
    }
    // Locked: another email, another forged address, even the right password.
    expectLocked(await attempt(attacker, 'ada@example.com', PASSWORD, spoofed(99)));
    expectLocked(await attempt(attacker, 'ada@example.com', PASSWORD));
    // A real other machine is not affected.
    expect((await attempt(new Browser(s.url, '127.0.8.2'), 'ada@example.com', PASSWORD)).status).toBe(303);
  });

  it('locks one email attacked from many addresses (a botnet), and forged headers change nothing', async () => {
    for (let i = 0; i < LOCK; i++) {
      const bot = new Browser(s.url, `127.0.9.${i + 1}`);
      expect((await attempt(bot, 'bob@example.com', `guess-${i}`, spoofed(i))).status).toBe(401);
    }
    // The owner, from a fresh address with the right password, is refused until the window passes.
    expectLocked(await attempt(new Browser(s.url, '127.0.9.100'), 'bob@example.com', PASSWORD));
    // Other accounts from fresh addresses still sign in.
    expect((await attempt(new Browser(s.url, '127.0.9.101'), 'cyd@example.com', PASSWORD)).status).toBe(303);
  });
});

describe('attacks on the sign-in limits behind a trusted proxy (trustProxy configured)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ config: LIMITS, http: { trustProxy: true } });
    await Promise.all(['ada', 'bob'].map((n) => s.addUser(`${n}@example.com`, PASSWORD)));
  });
  afterAll(() => s.close());

  it('counts by the forwarded address: one client behind the proxy spraying emails is locked, another is not', async () => {
    const proxy = new Browser(s.url, '127.0.10.1');
    const client = { 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < LOCK; i++) expect((await attempt(proxy, `victim${i}@example.com`, 'Password1!', client)).status).toBe(401);
    expectLocked(await attempt(proxy, 'ada@example.com', PASSWORD, client));
    expect((await attempt(proxy, 'ada@example.com', PASSWORD, { 'x-forwarded-for': '198.51.100.8' })).status).toBe(303);
  });

  it('still locks one email when every attempt comes from a new forwarded address', async () => {
    const proxy = new Browser(s.url, '127.0.10.2');
    for (let i = 0; i < LOCK; i++) expect((await attempt(proxy, 'bob@example.com', `guess-${i}`, spoofed(i))).status).toBe(401);
    expectLocked(await attempt(proxy, 'bob@example.com', PASSWORD, spoofed(50)));
  });
});
