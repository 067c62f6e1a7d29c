/**
 * `keyturn user list|show|disable|enable|remove|set-password` and the password rules of
 * `user add`, spawned as a user runs them on one data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyturn, prepareDatabase } from '../test-support/cli.js';

const PASSWORD = 'correct horse battery staple';
const root = mkdtempSync(path.join(tmpdir(), 'keyturn-people-'));
const dataDir = path.join(root, 'data');
const store = ['--data-dir', dataDir];
const add = (email: string, password = PASSWORD, ...more: string[]) => keyturn(['user', 'add', '--email', email, '--password-stdin', ...more, ...store], { stdin: password });

beforeAll(async () => {
  await prepareDatabase({ dataDir });
  for (const [email, name] of [['ada@example.com', 'Ada'], ['bob@example.com', 'Bob']] as const) expect((await add(email, PASSWORD, '--name', name)).code).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('keyturn user', () => {
  it('refuses common, repeated and sequential passwords with exit 2 and says why', async () => {
    const runs = await Promise.all(['password', 'aaaaaaaaaaaa', '123456789012'].map((weak) => add('weak@example.com', weak)));
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(runs[0]!.stderr).toBe(
      'keyturn: this password is on a list of common and breached passwords, the first ones attackers try: choose another: a few unrelated words, 12 characters or more, are easy to remember and hard to guess: correct it and run keyturn user add again\n',
    );
    expect(runs[1]!.stderr).toMatch(/^keyturn: the password repeats one character or a short pattern/);
    expect(runs[2]!.stderr).toMatch(/^keyturn: this password is on a list of common and breached passwords/);
    expect((await keyturn(['user', 'list', '--json', ...store])).stdout).not.toContain('weak@example.com');
  });

  it('lists people as a table and as one JSON array of { id, email, status, createdAt }', async () => {
    const table = await keyturn(['user', 'list', ...store]);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^EMAIL\s+STATUS\s+NAME\s+CREATED\s+ID$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).toContainEqual(['ada@example.com', 'active', 'Ada']);
    const json = await keyturn(['user', 'list', '--json', ...store]);
    expect(json.code).toBe(0);
    const people = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    const ada = people.find((p) => p.email === 'ada@example.com');
    expect(Object.keys(ada!).sort()).toEqual(['createdAt', 'email', 'id', 'status']);
    expect(ada).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: 'ada@example.com', status: 'active', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
  });

  it('disables and enables a person, shows their status, and lists it', async () => {
    const disabled = await keyturn(['user', 'disable', 'Bob@Example.com', ...store]);
    expect(disabled).toMatchObject({ code: 0, stderr: '', stdout: 'disabled bob@example.com: 0 apps and 0 browsers signed out; keyturn user enable bob@example.com lets them sign in again\n' });
    const shown = await keyturn(['user', 'show', 'bob@example.com', ...store]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^status\s+disabled$/m);
    expect(shown.stdout).toMatch(/^name\s+Bob$/m);
    expect(shown.stdout).toMatch(/^browsers\s+0 browsers signed in$/m);
    const listed = JSON.parse((await keyturn(['user', 'list', '--json', ...store])).stdout) as Array<{ email: string; status: string }>;
    expect(listed.find((p) => p.email === 'bob@example.com')?.status).toBe('disabled');
    expect(await keyturn(['user', 'enable', 'bob@example.com', ...store])).toMatchObject({ code: 0, stdout: 'enabled bob@example.com: they can sign in again\n' });
    expect((await keyturn(['user', 'show', 'bob@example.com', ...store])).stdout).toMatch(/^status\s+active$/m);
  });

  it('sets a new password from standard input only, by the rules', async () => {
    expect(await keyturn(['user', 'set-password', 'ada@example.com', '--password-stdin', ...store], { stdin: 'violet kettle anchor moss\n' })).toMatchObject({
      code: 0,
      stdout: 'new password set for ada@example.com: 0 apps and 0 browsers signed out\n',
    });
    const weak = await keyturn(['user', 'set-password', 'ada@example.com', '--password-stdin', ...store], { stdin: 'aaaaaaaaaaaa' });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/^keyturn: the password repeats one character or a short pattern, .*: pick another and run keyturn user set-password again\n$/);
    const flag = await keyturn(['user', 'set-password', 'ada@example.com', '--password', 'x', ...store]);
    expect(flag).toMatchObject({ code: 2, stderr: 'keyturn: unknown option --password: pass the password on standard input with --password-stdin\n' });
    const none = await keyturn(['user', 'set-password', 'ada@example.com', ...store]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give the password on standard input with --password-stdin');
  });

  it('removes a person, after which they are unknown to every command', async () => {
    expect(await add('cyd@example.com')).toMatchObject({ code: 0 });
    expect(await keyturn(['user', 'remove', 'cyd@example.com', ...store])).toMatchObject({ code: 0, stdout: 'removed cyd@example.com with their sessions and grants\n' });
    const runs = await Promise.all(
      [['show'], ['disable'], ['enable'], ['remove']].map((cmd) => keyturn(['user', ...cmd, 'cyd@example.com', ...store])),
    );
    for (const run of runs) expect(run).toMatchObject({ code: 1, stderr: 'keyturn: no user with email cyd@example.com: check the email with keyturn user list\n' });
  });
});
