// A fresh PostgreSQL database per bench server, dropped afterwards, and the CPU time its
// backends spent (PostgreSQL runs on the same cores as the server, so its work is part of a refresh).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** utime + stime of process `pid` in µs (Linux /proc, 10 ms ticks); 0 when it is gone. */
function processCpuUs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return 0;
  }
}

/** Creates an empty database next to `adminUrl`'s; resolves `{ url, drop() }`. */
export async function createPostgresDatabase(adminUrl) {
  const { default: pg } = await import('pg');
  const admin = async (sql, params) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql, params);
    } finally {
      await c.end();
    }
  };
  const name = `keyturn_bench_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let watcher = null;
  return {
    url: url.toString(),
    /** CPU time (µs) of this database's backends so far, as one more process of the server under test. */
    async backendStats() {
      if (!watcher) {
        watcher = new pg.Client({ connectionString: adminUrl });
        await watcher.connect();
      }
      const { rows } = await watcher.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
      return { cpuUs: rows.reduce((sum, r) => sum + processCpuUs(r.pid), 0), mainCpuUs: 0, rss: 0 };
    },
    async drop() {
      await watcher?.end();
      await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await admin(`DROP DATABASE IF EXISTS ${name}`);
    },
  };
}
