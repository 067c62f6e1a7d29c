/** `keyturn audit`: the security events of the audit trail, as a table or one JSON object per line. */
import type { Command } from 'commander';
import { normaliseEmail } from '../domain/users.js';
import type { AuditEventRecord } from '../storage/records.js';
import { isoDate } from './lib/format.js';
import { parseSince } from './lib/parseSince.js';
import { positiveInt } from './lib/positiveInt.js';
import { printTable } from './lib/printTable.js';
import { storageOptions } from './lib/storageOptions.js';
import { withKeyturn } from './lib/withKeyturn.js';

interface AuditFlags {
  user?: string;
  client?: string;
  since?: string;
  json?: boolean;
  limit: number;
  database?: string;
  dataDir?: string;
}

const DEFAULT_LIMIT = 1000;

/** One event as `--json` prints it: always these keys, `null` where the event has nothing. */
function jsonLine(e: AuditEventRecord): string {
  return JSON.stringify({ time: new Date(e.time).toISOString(), event: e.type, user: e.email, client: e.clientId, address: e.address, actor: e.actor, detail: e.detail, userId: e.userId });
}

export function registerAudit(program: Command): void {
  storageOptions(
    program
      .command('audit')
      .description('show security events: sign-ins, grants, revocations, changes to people, clients and keys (oldest first)')
      .option('--user <email>', 'only events about this person')
      .option('--client <id>', 'only events about this client')
      .option('--since <when>', 'only events since then: 7d, 12h, 30m, or a date like 2030-01-31')
      .option('--json', 'one JSON object per line: time, event, user, client, address, actor, detail, userId')
      .option('--limit <n>', `at most the newest n events (default ${DEFAULT_LIMIT})`, positiveInt, DEFAULT_LIMIT),
  ).action(async (flags: AuditFlags) => {
    const events = await withKeyturn(flags, async (kt) => {
      const since = flags.since === undefined ? undefined : parseSince(flags.since, kt.now());
      // The newest `limit`, printed oldest first as a log reads.
      const newest = await kt.repo.listAuditEvents({
        email: flags.user === undefined ? undefined : normaliseEmail(flags.user),
        clientId: flags.client,
        since,
        limit: flags.limit,
        newestFirst: true,
      });
      return newest.reverse();
    });
    if (events.length === flags.limit) process.stderr.write(`(the newest ${flags.limit} events; narrow with --since or raise --limit for more)\n`);
    if (flags.json) {
      process.stdout.write(events.map((e) => `${jsonLine(e)}\n`).join(''));
      return;
    }
    printTable(
      ['TIME', 'EVENT', 'USER', 'CLIENT', 'ADDRESS', 'BY', 'DETAIL'],
      events.map((e) => [isoDate(e.time), e.type, e.email ?? '-', e.clientId ?? '-', e.address ?? '-', e.actor ?? '-', e.detail ?? '']),
    );
  });
}
