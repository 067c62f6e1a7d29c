/** `keyturn audit`: its filters (--user, --client, --since, --limit) and the shape of --json, on events written at known times. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyturn } from '../compose.js';
import { loadConfig } from '../config.js';
import { addClient } from '../domain/clients.js';
import { createUser } from '../domain/users.js';
import { keyturn } from '../test-support/cli.js';
import { DAY, HOUR } from '../test-support/clock.js';

const root = mkdtempSync(path.join(tmpdir(), 'keyturn-audit-'));
const dataDir = path.join(root, 'data');
const store = ['--data-dir', dataDir];
const NOW = Date.now();
let adaId = '';

beforeAll(async () => {
  let t = NOW - 10 * DAY;
  const kt = await createKeyturn(loadConfig({ dataDir }, {}), { now: () => t, skipKeys: true });
  try {
    adaId = (await createUser(kt, { email: 'ada@example.com', password: 'correct horse battery staple' })).id;
    await addClient(kt, { id: 'photos', redirectUris: ['https://photos.example/cb'] });
    t = NOW - 2 * DAY;
    await kt.events.emit({ type: 'grant.issued', userId: adaId, clientId: 'photos', address: '203.0.113.7', actor: 'client', detail: 'openid' });
    t = NOW - HOUR;
    await kt.events.emit({ type: 'signin.failed', email: 'Eve@Example.com', address: '198.51.100.66', actor: 'person', detail: 'no such account' });
    await kt.events.emit({ type: 'grant.revoked', userId: adaId, clientId: 'photos', address: '203.0.113.7', actor: 'client' });
  } finally {
    await kt.close();
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lines = (stdout: string) => stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('keyturn audit', () => {
  it('prints every event oldest first as a table', async () => {
    const run = await keyturn(['audit', ...store]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const rows = run.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^TIME\s+EVENT\s+USER\s+CLIENT\s+ADDRESS\s+BY\s+DETAIL$/);
    expect(rows.slice(1).map((r) => r.split(/\s+/).slice(1, 4))).toEqual([
      ['user.added', 'ada@example.com', '-'],
      ['client.added', '-', 'photos'],
      ['grant.issued', 'ada@example.com', 'photos'],
      ['signin.failed', 'eve@example.com', '-'],
      ['grant.revoked', 'ada@example.com', 'photos'],
    ]);
  });

  it('--json: one object per line with time, event, user (email), client and address', async () => {
    const run = await keyturn(['audit', '--json', '--user', 'ADA@example.com', ...store]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(lines(run.stdout)).toEqual([
      { time: new Date(NOW - 10 * DAY).toISOString(), event: 'user.added', user: 'ada@example.com', client: null, address: null, actor: 'operator', detail: null, userId: adaId },
      { time: new Date(NOW - 2 * DAY).toISOString(), event: 'grant.issued', user: 'ada@example.com', client: 'photos', address: '203.0.113.7', actor: 'client', detail: 'openid', userId: adaId },
      { time: new Date(NOW - HOUR).toISOString(), event: 'grant.revoked', user: 'ada@example.com', client: 'photos', address: '203.0.113.7', actor: 'client', detail: null, userId: adaId },
    ]);
  });

  it('narrows by --client, --since (a duration or a date) and --limit, and refuses a bad --since', async () => {
    const [client, week, day, date, limited, bad] = await Promise.all([
      keyturn(['audit', '--json', '--client', 'photos', ...store]),
      keyturn(['audit', '--json', '--since', '7d', ...store]),
      keyturn(['audit', '--json', '--since', '1d', '--user', 'eve@example.com', ...store]),
      keyturn(['audit', '--json', '--since', new Date(NOW - 3 * DAY).toISOString().slice(0, 10), '--client', 'photos', ...store]),
      keyturn(['audit', '--json', '--limit', '2', ...store]),
      keyturn(['audit', '--since', 'last tuesday', ...store]),
    ]);
    expect(lines(client.stdout).map((e) => e.event)).toEqual(['client.added', 'grant.issued', 'grant.revoked']);
    expect(lines(week.stdout).map((e) => e.event)).toEqual(['grant.issued', 'signin.failed', 'grant.revoked']);
    expect(lines(day.stdout).map((e) => [e.event, e.user, e.address])).toEqual([['signin.failed', 'eve@example.com', '198.51.100.66']]);
    expect(lines(date.stdout).map((e) => e.event)).toEqual(['grant.issued', 'grant.revoked']);
    expect(lines(limited.stdout).map((e) => e.event)).toEqual(['signin.failed', 'grant.revoked']);
    expect(limited.stderr).toBe('(the newest 2 events; narrow with --since or raise --limit for more)\n');
    expect(bad).toMatchObject({ code: 2, stderr: 'keyturn: --since must be a duration like 7d, 12h or 30m, or a date like 2030-01-31, not "last tuesday"\n' });
  });
});
