// A fresh PostgreSQL database per bench server, dropped afterwards.
import { randomBytes } from 'node:crypto';

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
  return {
    url: url.toString(),
    async drop() {
      await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await admin(`DROP DATABASE IF EXISTS ${name}`);
    },
  };
}
