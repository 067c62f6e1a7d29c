/**
 * The built `keyturn` command, spawned as a user would run it: `--help` on each command
 * (exit 0, its flags listed) and usage errors (exit 2 with a clear message).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyturn, prepareDatabase } from '../test-support/cli.js';

const root = mkdtempSync(path.join(tmpdir(), 'keyturn-cli-'));
const dataDir = path.join(root, 'data');
const store = ['--data-dir', dataDir];
afterAll(() => rmSync(root, { recursive: true, force: true }));
// A database to refuse bad values against (management commands never create one).
beforeAll(() => prepareDatabase({ dataDir }));

describe('keyturn --help', () => {
  const commands: Array<[string[], string[]]> = [
    [[], ['serve', 'user', 'client', 'keys', 'audit', 'migrate', '--version']],
    [['serve'], ['--port', '--host', '--issuer', '--database', '--redis', '--data-dir', '--signing-alg', '--rotation-retry-after-restart', '--rotation-retry-max-outage', '--ipv6-prefix', '--device-code-ttl', '--audit-retention', '--headers-timeout', '--request-timeout', '--keep-alive-timeout', '--shutdown-timeout', '--metrics-port', '--metrics-host', '--log-format', 'KEYTURN_METRICS_PORT', 'KEYTURN_METRICS_HOST']],
    [['user'], ['add', 'list', 'show', 'disable', 'enable', 'remove', 'set-password']],
    [['user', 'list'], ['--json', '--database', '--data-dir']],
    [['user', 'set-password'], ['<email>', '--password-stdin', '--database', '--data-dir']],
    [['audit'], ['--user', '--client', '--since', '--json', '--limit', '--database', '--data-dir']],
    [['migrate'], ['--database', '--data-dir']],
    [['user', 'add'], ['--email', '--password-stdin', '--name', '--database', '--data-dir']],
    [['client', 'add'], ['--id', '--secret', '--public', '--redirect-uri', '--scope', '--refresh-policy', '--grant-types', '--database', '--data-dir']],
    [['client', 'list'], ['--database', '--data-dir']],
    [['client', 'remove'], ['--id', '--database', '--data-dir']],
    [['keys', 'list'], ['--database', '--data-dir']],
  ];
  it('exits 0 and lists the flags of every command', async () => {
    const runs = await Promise.all(commands.map(([cmd]) => keyturn([...cmd, '--help'])));
    runs.forEach((run, i) => {
      const [cmd, flags] = commands[i]!;
      expect({ cmd, code: run.code, stderr: run.stderr }).toEqual({ cmd, code: 0, stderr: '' });
      expect(run.stdout).toContain(`Usage: keyturn ${cmd.join(' ')}`.trimEnd());
      for (const flag of flags) expect(run.stdout).toContain(flag);
    });
  });
});

describe('usage errors exit 2 with a clear message', () => {
  const cases: Array<[string[], RegExp]> = [
    [['client', 'add', '--id', 'x', '--redirect-uri', 'https://x.example/cb', '--bogus', ...store], /unknown option '--bogus'/],
    [['client', 'list', '--bogus', ...store], /unknown option '--bogus'/],
    [['user', 'add', '--password-stdin', ...store], /required option '--email <email>' not specified/],
    [['user', 'add', '--email', 'x@example.com', ...store], /give the password on standard input with --password-stdin/],
    [['serve', '--port', 'eighty'], /port must be a whole number from 0 to 65535, not "eighty"/],
    [['serve', '--signing-alg', 'HS256', ...store], /signing algorithm must be one of RS256, ES256, EdDSA, not "HS256"/],
    [['client', 'add', '--id', 'x', '--redirect-uri', 'https://x.example/cb', '--refresh-policy', 'sometimes', ...store], /--refresh-policy must be reuse or rotate/],
    [['client', 'add', '--id', 'x', '--public', '--secret', 'abcdefghijklmnopqrstuvwxyz', '--redirect-uri', 'https://x.example/cb', ...store], /--public and --secret exclude each other/],
    [['client', 'add', '--id', 'x', '--redirect-uri', 'not a uri', ...store], /redirect URI "not a uri" is not an absolute URI/],
    [['nonsense'], /unknown command 'nonsense'/],
  ];
  it('for unknown flags, missing required flags and bad values', async () => {
    const runs = await Promise.all(cases.map(([args]) => keyturn(args)));
    runs.forEach((run, i) => {
      const [args, message] = cases[i]!;
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
