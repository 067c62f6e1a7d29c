/**
 * Attacks on the sign-in rate limits, from the outside: one machine spraying many emails,
 * many machines on one email, and forged X-Forwarded-For headers, which only count as the
 * address when the server is configured to trust a proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisSandbox, type RedisSandbox } from '../test-support/redis.js';
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

describe('attacks on the sign-in limits with concurrent guesses', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ config: LIMITS });
    await Promise.all(['ada', 'bob', 'cyd'].map((n) => s.addUser(`${n}@example.com`, PASSWORD)));
  });
  afterAll(() => s.close());

  const statuses = (answers: Answer[]) => answers.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});

  it('checks no more passwords than the limit when 40 guesses arrive at once from one address (regression: 33 were checked)', async () => {
    const attacker = new Browser(s.url, '127.0.12.1');
    const csrf = await attacker.csrf();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => attacker.post('/signin', { email: 'bob@example.com', password: `guess-${i}`, csrf })));
    expect(statuses(answers)).toEqual({ 401: LOCK, 429: 40 - LOCK });
  });

  it('checks no more passwords than the limit when 40 machines guess one account at once', async () => {
    const bots = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const bot = new Browser(s.url, `127.0.13.${i + 1}`);
        return { bot, csrf: await bot.csrf() };
      }),
    );
    const answers = await Promise.all(bots.map(({ bot, csrf }, i) => bot.post('/signin', { email: 'cyd@example.com', password: `guess-${i}`, csrf })));
    expect(statuses(answers)).toEqual({ 401: LOCK, 429: 40 - LOCK });
  });

  it('does not count successful sign-ins against an address (many people behind one NAT)', async () => {
    const office = new Browser(s.url, '127.0.14.1');
    for (let i = 0; i < LOCK * 3; i++) expect((await attempt(office, 'ada@example.com', PASSWORD)).status).toBe(303);
    for (let i = 0; i < LOCK - 1; i++) expect((await attempt(office, 'ada@example.com', 'typo')).status).toBe(401);
    expect((await attempt(office, 'ada@example.com', PASSWORD)).status).toBe(303);
  });
});

describe('attacks on the sign-in limits with concurrent guesses at two servers sharing Redis', () => {
  let r: RedisSandbox;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    r = await openRedisSandbox();
    const config = { ...LIMITS, ...r.config };
    [a, b] = await Promise.all([startTestServer({ config }), startTestServer({ config })]);
    await Promise.all([a, b].flatMap((srv) => ['ada', 'bob'].map((n) => srv.addUser(`${n}@example.com`, PASSWORD))));
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await r?.drop();
  });

  it('checks no more passwords than the limit across both servers, and a success takes back only its own hit', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const bot = new Browser((i % 2 === 0 ? a : b).url, `127.0.15.${i + 1}`);
        const csrf = await bot.csrf();
        return () => bot.post('/signin', { email: 'bob@example.com', password: `guess-${i}`, csrf });
      }),
    );
    const answers = await Promise.all(guesses.map((go) => go()));
    expect(answers.filter((r) => r.status === 401)).toHaveLength(LOCK);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(30 - LOCK);

    const office = new Browser(a.url, '127.0.15.200');
    expect((await attempt(office, 'ada@example.com', 'typo')).status).toBe(401);
    expect((await attempt(office, 'ada@example.com', PASSWORD)).status).toBe(303);
    expect(await r.redis.get(`${r.prefix}login:addr:127.0.15.200`)).toBe('1');
    // A first, successful sign-in from an address leaves its count at zero, on the other server too.
    expect((await attempt(new Browser(b.url, '127.0.15.201'), 'ada@example.com', PASSWORD)).status).toBe(303);
    expect(await r.redis.get(`${r.prefix}login:addr:127.0.15.201`)).toBe('0');
  });

  it('creates no counter keys for a locked-out address flooding with new emails (no eviction of a victim’s counter)', async () => {
    const flooder = new Browser(a.url, '127.0.15.250');
    for (let i = 0; i < LOCK; i++) expect((await attempt(flooder, `spray${i}@example.com`, 'x')).status).toBe(401);
    const before = (await r.redis.keys(`${r.prefix}login:acct:*`)).length;
    const csrf = await flooder.csrf();
    const flood = await Promise.all(Array.from({ length: 20 }, (_, i) => flooder.post('/signin', { email: `flood${i}@example.com`, password: 'x', csrf })));
    expect(flood.map((r) => r.status)).toEqual(Array(20).fill(429));
    expect((await r.redis.keys(`${r.prefix}login:acct:*`)).length).toBe(before);
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
