/**
 * Where the data is: commands other than `serve` never create a database. Run where there is
 * none (another folder, a wrong --data-dir, an empty PostgreSQL database) they say where they
 * looked and how to point them, exit 1, and leave nothing behind: no database, no secret file.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { keyturn } from '../test-support/cli.js';
import { createTestPostgresDatabase, testBackends } from '../test-support/databases.js';

const root = mkdtempSync(path.join(tmpdir(), 'keyturn-where-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HOW = "and this command does not create one: run it where the server's data folder is, point it there with --data-dir DIR (env KEYTURN_DATA_DIR) or --database URL-or-path (env KEYTURN_DATABASE_URL), or start keyturn serve once to create the database";

/** Every command that reads or changes the server's data, as an operator would type it. */
const COMMANDS: Array<{ args: string[]; stdin?: string }> = [
  { args: ['user', 'add', '--email', 'ada@example.com', '--password-stdin'], stdin: 'correct horse battery staple' },
  { args: ['user', 'list'] },
  { args: ['user', 'show', 'ada@example.com'] },
  { args: ['user', 'disable', 'ada@example.com'] },
  { args: ['user', 'set-password', 'ada@example.com', '--password-stdin'], stdin: 'correct horse battery staple' },
  { args: ['client', 'add', '--id', 'app', '--redirect-uri', 'https://app.example/cb'] },
  { args: ['client', 'list'] },
  { args: ['keys', 'list'] },
  { args: ['keys', 'rotate'] },
  { args: ['gc'] },
  { args: ['audit'] },
];

describe('commands other than serve, where there is no database', () => {
  it('say where they looked and how to point them, exit 1, and create nothing (run from another folder)', async () => {
    const elsewhere = path.join(root, 'packages-server');
    mkdirSync(elsewhere);
    const runs = await Promise.all(COMMANDS.map(({ args, stdin }) => keyturn(args, { cwd: elsewhere, ...(stdin === undefined ? {} : { stdin }) })));
    runs.forEach((run, i) => {
      expect({ args: COMMANDS[i]!.args, code: run.code, stdout: run.stdout }).toEqual({ args: COMMANDS[i]!.args, code: 1, stdout: '' });
      expect(run.stderr).toBe(`keyturn: no Keyturn database at ${path.join(elsewhere, 'data', 'keyturn.db')}, ${HOW}\n`);
    });
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('name the --data-dir or --database they were given, and create neither it nor a secret file there', async () => {
    const dataDir = path.join(root, 'wrong-data');
    const file = path.join(root, 'other', 'keyturn.db');
    const [byDir, byFile] = await Promise.all([keyturn(['client', 'list', '--data-dir', dataDir]), keyturn(['user', 'list', '--database', `sqlite:${file}`, '--data-dir', dataDir])]);
    expect(byDir).toMatchObject({ code: 1, stderr: `keyturn: no Keyturn database at ${path.join(dataDir, 'keyturn.db')}, ${HOW}\n` });
    expect(byFile).toMatchObject({ code: 1, stderr: `keyturn: no Keyturn database at ${file}, ${HOW}\n` });
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(path.dirname(file))).toBe(false);
  });

  it.skipIf(!testBackends().includes('postgres'))('refuse an empty PostgreSQL database, naming it without its password, and leave it empty', async () => {
    const db = await createTestPostgresDatabase();
    try {
      const url = new URL(db.url);
      url.password = 'not-to-be-printed';
      const run = await keyturn(['user', 'list', '--database', url.toString(), '--data-dir', path.join(root, 'pg-data')]);
      url.password = '';
      expect(run).toMatchObject({ code: 1, stderr: `keyturn: no Keyturn database at ${url.toString()}, ${HOW}\n` });
      expect(run.stderr).not.toContain('not-to-be-printed');
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query("select count(*)::int as n from information_schema.tables where table_schema = 'public'");
        expect(rows[0]).toEqual({ n: 0 });
      } finally {
        await client.end();
      }
      expect(existsSync(path.join(root, 'pg-data'))).toBe(false);
    } finally {
      await db.drop();
    }
  });
});
