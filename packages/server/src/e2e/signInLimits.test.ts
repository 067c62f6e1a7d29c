/**
 * The sign-in limits: failures slow and then lock an account and an address, counted in
 * memory or shared through Redis; attacks on them, from the outside: one machine spraying many
 * emails, many machines on one email, concurrent guesses, and forged X-Forwarded-For headers,
 * which only count as the address when the server is configured to trust a proxy.
 */
import { describe, expect, it } from 'vitest';
import { Browser } from '../test-support/browser.js';
import { cookieValue, setCookieLine, setCookies, type Answer } from '../test-support/http.js';
import { aPerson, PASSWORD } from '../test-support/people.js';
import { useServersSharingRedis } from '../test-support/redis.js';
import { useServer, type TestServer, type TestServerOptions } from '../test-support/server.js';

const LOCK = 5;
/** Lock after 5 failures, and no slowing down before (keeps the test fast). */
const LIMITS = { loginSlowAfter: 1000, loginLockAfter: LOCK };

/** A forged client address for every request, in every header proxies use. */
function spoofed(i: number): Record<string, string> {
  const ip = `203.0.113.${i}`;
  return { 'x-forwarded-for': ip, 'x-real-ip': ip, forwarded: `for=${ip}`, 'true-client-ip': ip, 'cf-connecting-ip': ip };
}

/** One sign-in through the form from the address `from` (a browser of its own each time). */
const attempt = (s: TestServer, from: string, email: string, password: string, headers: Record<string, string> = {}) => new Browser(s, { from }).signIn(email, password, {}, headers);

/** The server of one describe block, with three people on it. */
function withPeople(options: TestServerOptions) {
  return useServer(options, async (s) => {
    const [ada, bob, cyd] = await Promise.all([aPerson(s), aPerson(s), aPerson(s)]);
    return { ada, bob, cyd };
  });
}

function expectLocked(res: Answer) {
  expect(res.status).toBe(429);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(setCookieLine(res, 'npsso')).toBeUndefined();
}

describe('the sign-in limits, slowing down first', () => {
  const f = withPeople({ config: { loginSlowAfter: 3, loginLockAfter: 5 } });

  it('slows and then refuses repeated failures for one account, even from fresh addresses and with the right password', async () => {
    const { s, bob, cyd } = f;
    const times: number[] = [];
    // Each failure from its own address, so only the account counter can add up.
    for (let i = 0; i < 5; i++) {
      const res = await attempt(s, `127.0.1.${i + 1}`, bob.email, `wrong-${i}`);
      expect(res.status).toBe(401);
      times.push(res.ms);
    }
    // Failures 3, 4, 5 wait 250, 500, 1000 ms on top of the hash.
    expect(times[2]!).toBeGreaterThanOrEqual(250);
    expect(times[4]!).toBeGreaterThanOrEqual(1000);
    expect(times[0]!).toBeLessThan(250);
    const locked = await attempt(s, '127.0.1.99', bob.email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe(String(15 * 60));
    expect(locked.body).toContain('Too many failed sign-ins');
    // The page says how long, as Retry-After does (regression: it said "Try again later.").
    expect(locked.body).toContain('Try again in 15 minutes.');
    expect(cookieValue(setCookies(locked), 'npsso')).toBeUndefined();
    // Another account from an address that has not failed is not affected.
    expect((await attempt(s, '127.0.1.98', cyd.email, PASSWORD)).status).toBe(303);
  });

  it('refuses an address that failed too often, whatever account it tries next', async () => {
    const { s, cyd } = f;
    const from = '127.0.2.1';
    for (let i = 0; i < 5; i++) {
      expect((await attempt(s, from, `guess${i}@example.com`, 'guess')).status).toBe(401);
    }
    const locked = await attempt(s, from, cyd.email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(cookieValue(setCookies(locked), 'npsso')).toBeUndefined();
    expect((await attempt(s, '127.0.2.2', cyd.email, PASSWORD)).status).toBe(303);
  });
});

describe('attacks on the sign-in limits (no proxy trusted, the default)', () => {
  const f = withPeople({ config: LIMITS });

  it('locks out one address spraying many emails, even when it forges a new X-Forwarded-For each time', async () => {
    const { s, ada } = f;
    const attacker = new Browser(s, { from: '127.0.8.1' });
    for (let i = 0; i < LOCK; i++) {
      expect((await attacker.signIn(`victim${i}@example.com`, 'Password1!', {}, spoofed(i))).status).toBe(401);
    }
    // Locked: another email, another forged address, even the right password.
    expectLocked(await attacker.signIn(ada.email, PASSWORD, {}, spoofed(99)));
    expectLocked(await attacker.signIn(ada.email, PASSWORD));
    // A real other machine is not affected.
    expect((await attempt(s, '127.0.8.2', ada.email, PASSWORD)).status).toBe(303);
  });

  it('locks one email attacked from many addresses (a botnet), and forged headers change nothing', async () => {
    const { s, bob, cyd } = f;
    for (let i = 0; i < LOCK; i++) {
      expect((await attempt(s, `127.0.9.${i + 1}`, bob.email, `guess-${i}`, spoofed(i))).status).toBe(401);
    }
    // The owner, from a fresh address with the right password, is refused until the window passes.
    expectLocked(await attempt(s, '127.0.9.100', bob.email, PASSWORD));
    // Other accounts from fresh addresses still sign in.
    expect((await attempt(s, '127.0.9.101', cyd.email, PASSWORD)).status).toBe(303);
  });
});

describe('attacks on the sign-in limits with concurrent guesses', () => {
  const f = withPeople({ config: LIMITS });

  const statuses = (answers: Answer[]) => answers.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});

  it('checks no more passwords than the limit when 40 guesses arrive at once from one address (regression: 33 were checked)', async () => {
    const { s, bob } = f;
    const attacker = new Browser(s, { from: '127.0.12.1' });
    const csrf = await attacker.csrf();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => attacker.post('/signin', { email: bob.email, password: `guess-${i}`, csrf })));
    expect(statuses(answers)).toEqual({ 401: LOCK, 429: 40 - LOCK });
  });

  it('checks no more passwords than the limit when 40 machines guess one account at once', async () => {
    const { s, cyd } = f;
    const bots = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const bot = new Browser(s, { from: `127.0.13.${i + 1}` });
        return { bot, csrf: await bot.csrf() };
      }),
    );
    const answers = await Promise.all(bots.map(({ bot, csrf }, i) => bot.post('/signin', { email: cyd.email, password: `guess-${i}`, csrf })));
    expect(statuses(answers)).toEqual({ 401: LOCK, 429: 40 - LOCK });
  });

  it('does not count successful sign-ins against an address (many people behind one NAT)', async () => {
    const { s, ada } = f;
    const office = new Browser(s, { from: '127.0.14.1' });
    for (let i = 0; i < LOCK * 3; i++) expect((await office.signIn(ada.email, PASSWORD)).status).toBe(303);
    for (let i = 0; i < LOCK - 1; i++) expect((await office.signIn(ada.email, 'typo')).status).toBe(401);
    expect((await office.signIn(ada.email, PASSWORD)).status).toBe(303);
  });
});

describe('the sign-in counter in Redis', () => {
  // A second process on the same Redis: the counter is shared.
  const f = useServersSharingRedis({ loginSlowAfter: 10, loginLockAfter: 3 }, async (servers) => ({ eve: await aPerson(servers) }));

  it('counts failures under the configured prefix and locks the account on every server sharing Redis', async () => {
    const { a, b, r, eve } = f;
    expect((await attempt(a, '127.0.4.1', eve.email, 'nope-1')).status).toBe(401);
    expect((await attempt(b, '127.0.4.2', eve.email, 'nope-2')).status).toBe(401);
    expect((await attempt(a, '127.0.4.3', eve.email, 'nope-3')).status).toBe(401);
    const keys = (await r.redis.keys(`${r.prefix}*`)).sort();
    expect(keys.filter((k) => k.startsWith(`${r.prefix}login:acct:`))).toHaveLength(1);
    expect(keys.filter((k) => k.startsWith(`${r.prefix}login:addr:`))).toHaveLength(3);
    expect(await r.redis.get(keys.find((k) => k.includes(':acct:'))!)).toBe('3');
    expect(await r.redis.pttl(keys[0]!)).toBeGreaterThan(0);

    const locked = await attempt(b, '127.0.4.9', eve.email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe(String(15 * 60));
  });
});

describe('attacks on the sign-in limits with concurrent guesses at two servers sharing Redis', () => {
  const f = useServersSharingRedis(LIMITS, async (servers) => ({ ada: await aPerson(servers), bob: await aPerson(servers) }));

  it('checks no more passwords than the limit across both servers, and a success takes back only its own hit', async () => {
    const { a, b, r, ada, bob } = f;
    const guesses = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const bot = new Browser(i % 2 === 0 ? a : b, { from: `127.0.15.${i + 1}` });
        const csrf = await bot.csrf();
        return () => bot.post('/signin', { email: bob.email, password: `guess-${i}`, csrf });
      }),
    );
    const answers = await Promise.all(guesses.map((go) => go()));
    expect(answers.filter((r) => r.status === 401)).toHaveLength(LOCK);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(30 - LOCK);

    const office = new Browser(a, { from: '127.0.15.200' });
    expect((await office.signIn(ada.email, 'typo')).status).toBe(401);
    expect((await office.signIn(ada.email, PASSWORD)).status).toBe(303);
    expect(await r.redis.get(`${r.prefix}login:addr:127.0.15.200`)).toBe('1');
    // A first, successful sign-in from an address leaves its count at zero, on the other server too.
    expect((await attempt(b, '127.0.15.201', ada.email, PASSWORD)).status).toBe(303);
    expect(await r.redis.get(`${r.prefix}login:addr:127.0.15.201`)).toBe('0');
  });

  it('creates no counter keys for a locked-out address flooding with new emails (no eviction of a victim’s counter)', async () => {
    const { a, r } = f;
    const flooder = new Browser(a, { from: '127.0.15.250' });
    for (let i = 0; i < LOCK; i++) expect((await flooder.signIn(`spray${i}@example.com`, 'x')).status).toBe(401);
    const before = (await r.redis.keys(`${r.prefix}login:acct:*`)).length;
    const csrf = await flooder.csrf();
    const flood = await Promise.all(Array.from({ length: 20 }, (_, i) => flooder.post('/signin', { email: `flood${i}@example.com`, password: 'x', csrf })));
    expect(flood.map((r) => r.status)).toEqual(Array(20).fill(429));
    expect((await r.redis.keys(`${r.prefix}login:acct:*`)).length).toBe(before);
  });
});

describe('attacks on the sign-in limits behind a trusted proxy (trustProxy configured)', () => {
  const f = withPeople({ config: LIMITS, http: { trustProxy: true } });

  it('counts by the forwarded address: one client behind the proxy spraying emails is locked, another is not', async () => {
    const { s, ada } = f;
    const proxy = new Browser(s, { from: '127.0.10.1' });
    const client = { 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < LOCK; i++) expect((await proxy.signIn(`victim${i}@example.com`, 'Password1!', {}, client)).status).toBe(401);
    expectLocked(await proxy.signIn(ada.email, PASSWORD, {}, client));
    expect((await proxy.signIn(ada.email, PASSWORD, {}, { 'x-forwarded-for': '198.51.100.8' })).status).toBe(303);
  });

  it('still locks one email when every attempt comes from a new forwarded address', async () => {
    const { s, bob } = f;
    const proxy = new Browser(s, { from: '127.0.10.2' });
    for (let i = 0; i < LOCK; i++) expect((await proxy.signIn(bob.email, `guess-${i}`, {}, spoofed(i))).status).toBe(401);
    expectLocked(await proxy.signIn(bob.email, PASSWORD, {}, spoofed(50)));
  });
});
