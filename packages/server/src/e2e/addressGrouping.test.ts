/**
 * Regression (issue 9, finding 3): every per-address limit counts an IPv6 client by its /64
 * (configurable), so one customer's network cannot spray guesses from a new address each time;
 * IPv4-mapped IPv6 counts as the IPv4 address. Behind a trusted proxy, as the issue found it.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { Browser } from '../test-support/browser.js';
import { aClient, basic } from '../test-support/clients.js';
import { FORM, raw } from '../test-support/http.js';
import { endpoint } from '../test-support/paths.js';
import { aPerson, PASSWORD, uniqueEmail } from '../test-support/people.js';
import { useServer, type TestServer } from '../test-support/server.js';

const LOCK = 5;
const TRIES = 30;
const LIMITS = { loginSlowAfter: 1000, loginLockAfter: LOCK, clientAuthLockAfter: LOCK };

/** A sign-in with a new email each time, as forwarded by our proxy for `client`. */
const signInFrom = (s: TestServer, client: string, email = uniqueEmail('spray'), password = 'a-guessed-password') =>
  new Browser(s).signIn(email, password, {}, { 'x-forwarded-for': client });

/** A guess at the client secret of `id`, as forwarded by our proxy for `client`. */
const guessFrom = (s: TestServer, client: string, id: string, secret: string) =>
  raw(endpoint(s, 'revoke'), { method: 'POST', headers: { ...FORM, authorization: basic(id, secret), 'x-forwarded-for': client }, body: 'token=not-a-token' });

describe('limits per IPv6 network behind a trusted proxy (the /64 default)', () => {
  const f = useServer({ env: { KEYTURN_TRUST_PROXY: '1' }, config: LIMITS }, async (s) => ({ app: await aClient(s), ada: await aPerson(s) }));

  it('locks sign-ins with new emails from new addresses of one /64 after the limit (regression: 30 of 30 were checked)', async () => {
    const { s, ada } = f;
    const statuses: number[] = [];
    for (let n = 1; n <= TRIES; n++) statuses.push((await signInFrom(s, `2001:db8:1:2::${n.toString(16)}`)).status);
    expect(statuses).toEqual([...Array<number>(LOCK).fill(401), ...Array<number>(TRIES - LOCK).fill(429)]);
    // Locked means locked for the whole network, and for nobody else.
    expect((await signInFrom(s, '2001:db8:1:2:ffff:ffff:ffff:ffff', ada.email, PASSWORD)).status).toBe(429);
    expect((await signInFrom(s, '2001:db8:1:3::1', ada.email, PASSWORD)).status).toBe(303);
  });

  it('locks client-secret guesses from new addresses of one /64 after the limit (regression: 30 of 30 were checked)', async () => {
    const { s, app } = f;
    const statuses: number[] = [];
    for (let n = 1; n <= TRIES; n++) statuses.push((await guessFrom(s, `2001:db8:5:6::${n.toString(16)}`, app.id, `guess-${n}-0123456789`)).status);
    expect(statuses).toEqual([...Array<number>(LOCK).fill(401), ...Array<number>(TRIES - LOCK).fill(429)]);
    expect((await guessFrom(s, '2001:db8:5:7::1', app.id, app.secret!)).status).toBe(200);
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address it carries', async () => {
    const { s, app } = f;
    for (let i = 0; i < LOCK; i++) {
      const client = i % 2 === 0 ? '::ffff:203.0.113.77' : '203.0.113.77';
      expect((await guessFrom(s, client, app.id, `mapped-${i}-0123456789`)).status).toBe(401);
    }
    expect((await guessFrom(s, '203.0.113.77', app.id, app.secret!)).status).toBe(429);
    expect((await guessFrom(s, '::ffff:203.0.113.78', app.id, app.secret!)).status).toBe(200);
  });
});

describe('the IPv6 prefix setting', () => {
  const f = useServer({ env: { KEYTURN_TRUST_PROXY: '1', KEYTURN_IPV6_PREFIX: '128' }, config: LIMITS }, async (s) => ({ app: await aClient(s) }));

  it('counts each IPv6 address on its own with KEYTURN_IPV6_PREFIX=128', async () => {
    const { s, app } = f;
    expect(s.kt.config.ipv6Prefix).toBe(128);
    for (let n = 1; n <= LOCK + 2; n++) expect((await guessFrom(s, `2001:db8:9:9::${n}`, app.id, `one-each-${n}-0123456789`)).status).toBe(401);
  });

  it('reads --ipv6-prefix over KEYTURN_IPV6_PREFIX over the default 64, and refuses a value outside 1..128', () => {
    expect(loadConfig({}, {}).ipv6Prefix).toBe(64);
    expect(loadConfig({}, { KEYTURN_IPV6_PREFIX: '56' }).ipv6Prefix).toBe(56);
    expect(loadConfig({ ipv6Prefix: '48' }, { KEYTURN_IPV6_PREFIX: '56' }).ipv6Prefix).toBe(48);
    for (const bad of ['0', '129', '64.5', 'wide']) {
      expect(() => loadConfig({ ipv6Prefix: bad }, {})).toThrow(`--ipv6-prefix (KEYTURN_IPV6_PREFIX) must be a whole number of bits from 1 to 128, not "${bad}"`);
    }
  });
});
