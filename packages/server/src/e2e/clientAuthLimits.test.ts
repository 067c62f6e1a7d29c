/**
 * Attacks on client authentication: guessing a confidential client's secret, or making the
 * server run argon2 for wrong secrets without end. Failures are counted per address (so an
 * attacker cannot lock a real client out everywhere) and refused with 429 past the limit.
 */
import { describe, expect, it } from 'vitest';
import { aClient, basic } from '../test-support/clients.js';
import { FORM, raw, type Answer } from '../test-support/http.js';
import { endpoint } from '../test-support/paths.js';
import { useServersSharingRedis } from '../test-support/redis.js';
import { useServer, type TestServer } from '../test-support/server.js';

const LOCK = 4;
const SECRET = 'the-right-client-secret-0123';
const CLIENT = { id: 'bot', secret: SECRET, redirectUri: 'com.example.bot://redirect' };

/**
 * Client authentication from the address `from`, at the revocation endpoint (200 for any token
 * once the client is authenticated) or, with `grant`, at the token endpoint.
 */
function authenticate(s: TestServer, from: string, auth: { basic?: [string, string]; form?: [string, string] }, headers: Record<string, string> = {}, grant?: string): Promise<Answer> {
  const form = new URLSearchParams(grant === undefined ? { token: 'not-a-token' } : { grant_type: grant, refresh_token: 'nope' });
  if (auth.form) form.set('client_id', auth.form[0]), form.set('client_secret', auth.form[1]);
  return raw(endpoint(s, grant === undefined ? 'revoke' : 'token'), {
    method: 'POST',
    from,
    headers: { ...FORM, ...(auth.basic ? { authorization: basic(...auth.basic) } : {}), ...headers },
    body: form.toString(),
  });
}

function expectLocked(res: Answer) {
  expect(res.status).toBe(429);
  expect(Number(res.headers['retry-after'])).toBe(15 * 60);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(JSON.parse(res.body)).toMatchObject({ error: 'temporarily_unavailable' });
}

describe('attacks on client authentication (one process)', () => {
  const f = useServer({ config: { clientAuthLockAfter: LOCK } }, async (s) => ({ bot: await aClient(s, CLIENT) }));

  it('refuses one address after the limit of wrong secrets, the right secret included, and leaves other addresses alone', async () => {
    const { s } = f;
    const attacker = '127.0.20.1';
    for (let i = 0; i < LOCK; i++) {
      const res = await authenticate(s, attacker, { basic: ['bot', `guess-${i}-0123456789`] }, { 'x-forwarded-for': `203.0.113.${i}` });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'invalid_client' });
    }
    expectLocked(await authenticate(s, attacker, { basic: ['bot', 'guess-x-0123456789'] }));
    expectLocked(await authenticate(s, attacker, { form: ['bot', 'guess-y-0123456789'] }, { 'x-forwarded-for': '203.0.113.99' }));
    // Locked means locked: the attacker cannot probe with the right secret either.
    expectLocked(await authenticate(s, attacker, { basic: ['bot', SECRET] }));
    // The real client, elsewhere, is not locked out.
    expect((await authenticate(s, '127.0.20.2', { basic: ['bot', SECRET] })).status).toBe(200);
  });

  it('counts wrong secrets for client ids that do not exist (each one costs an argon2 check)', async () => {
    const { s } = f;
    const sprayer = '127.0.21.1';
    for (let i = 0; i < LOCK; i++) expect((await authenticate(s, sprayer, { basic: [`nobody-${i}`, 'whatever-0123456789'] })).status).toBe(401);
    expectLocked(await authenticate(s, sprayer, { basic: ['nobody-else', 'whatever-0123456789'] }));
  });

  it('checks no more secrets than the limit when 30 guesses arrive at once', async () => {
    const { s } = f;
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => authenticate(s, '127.0.22.1', { basic: ['bot', `parallel-${i}-0123456789`] })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((x) => x === 401)).toHaveLength(LOCK);
    expect(statuses.filter((x) => x === 429)).toHaveLength(30 - LOCK);
  });

  it('does not count right secrets: a working client keeps working next to its own few mistakes', async () => {
    const { s } = f;
    const app = '127.0.23.1';
    for (let i = 0; i < LOCK - 1; i++) expect((await authenticate(s, app, { basic: ['bot', `typo-${i}-0123456789`] })).status).toBe(401);
    for (let i = 0; i < 3 * LOCK; i++) expect((await authenticate(s, app, { basic: ['bot', SECRET] })).status).toBe(200);
    // Still one mistake left before the lock, then locked.
    expect((await authenticate(s, app, { basic: ['bot', 'typo-last-0123456789'] })).status).toBe(401);
    expectLocked(await authenticate(s, app, { basic: ['bot', 'typo-more-0123456789'] }));
  });

  it('applies to the token endpoint too, where a client library sees 429 with Retry-After', async () => {
    const { s } = f;
    const token = (secret: string) => authenticate(s, '127.0.24.1', { basic: ['bot', secret] }, {}, 'refresh_token');
    for (let i = 0; i < LOCK; i++) expect((await token(`token-guess-${i}-0123456789`)).status).toBe(401);
    expectLocked(await token('token-guess-last-0123456789'));
  });
});

describe('attacks on client authentication (two processes sharing Redis)', () => {
  const f = useServersSharingRedis({ clientAuthLockAfter: LOCK }, async (servers) => ({ bot: await aClient(servers, CLIENT) }));

  it('locks an address that spreads its guesses over both processes', async () => {
    const { a, b, r } = f;
    const attacker = '127.0.25.1';
    for (let i = 0; i < LOCK; i++) expect((await authenticate(i % 2 ? a : b, attacker, { basic: ['bot', `spread-${i}-0123456789`] })).status).toBe(401);
    expectLocked(await authenticate(a, attacker, { basic: ['bot', 'spread-a-0123456789'] }));
    expectLocked(await authenticate(b, attacker, { basic: ['bot', 'spread-b-0123456789'] }));
    expect(await r.redis.get(`${r.prefix}login:client:${attacker}`)).toBe(String(LOCK));
    expect((await authenticate(b, '127.0.25.2', { basic: ['bot', SECRET] })).status).toBe(200);
  });
});
