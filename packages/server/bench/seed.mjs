// Seeds a Keyturn database (migrated, with its clients) with `count` grants and as many refresh
// tokens of one client, straight into the tables: one person per ten grants, each grant live for
// 60 days with one unspent token. Token i is `seededToken(prefix, i)`, so the bench can present
// any of them. Batches of inserts in transactions bound the time (a million of each in well under
// a minute on SQLite); PostgreSQL generates the rows itself from generate_series.
//
// Run: node bench/seed.mjs --database <sqlite path | postgres:// URL> --client <id> --count <n> [--prefix <p>] [--scope "<scope>"]
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { parseArgs } from 'node:util';

const TOKEN_LENGTH = 43;
const GRANTS_PER_PERSON = 10;
const BATCH = 50_000;
const SEED_PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2VlZGVkLW5vLXNpZ24taW4$c2VlZGVkLW5vLXNpZ24taW4tc2VlZGVkLW5vLXNpZ24taW4';
const DAY_MS = 86_400_000;

/** The raw refresh token number `i` of a seeding with `prefix` (43 characters, as Keyturn's own). */
export function seededToken(prefix, i) {
  return prefix + String(i).padStart(TOKEN_LENGTH - prefix.length, '0');
}

const md5 = (s) => createHash('md5').update(s).digest('hex');
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

/** Seeds `count` grants and tokens of `clientId`; resolves the database's size in bytes afterwards. */
export async function seedGrants({ database, clientId, count, prefix, scope }) {
  const now = Date.now();
  const args = { clientId, count, prefix, scope, now, expiresAt: now + 60 * DAY_MS, people: Math.ceil(count / GRANTS_PER_PERSON) };
  return database.startsWith('postgres') ? seedPostgres(database, args) : seedSqlite(database, args);
}

async function seedSqlite(file, { clientId, count, prefix, scope, now, expiresAt, people }) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  // A page cache that holds the indexes (random keys: every insert lands on another page), and
  // no fsync: a bench database is thrown away after the run.
  db.pragma('cache_size = -400000');
  db.pragma('synchronous = OFF');
  const person = db.prepare('INSERT INTO users (id, email, password_hash, name, created_at) VALUES (?, ?, ?, NULL, ?)');
  const grant = db.prepare(
    'INSERT INTO grants (id, client_id, user_id, sso_session_id, scope, auth_time, created_at, expires_at, last_used_at, revoked_at, revoked_reason, user_agent) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, NULL, NULL, ?)',
  );
  const token = db.prepare('INSERT INTO refresh_tokens (token_hash, grant_id, parent_hash, created_at, expires_at, spent_at, successor_hash) VALUES (?, ?, NULL, ?, ?, NULL, NULL)');
  const personId = (p) => `${prefix}person-${p}`;
  const insertPeople = db.transaction((from, to) => {
    for (let p = from; p < to; p++) person.run(personId(p), `${prefix}${p}@seed.bench.example`, SEED_PASSWORD_HASH, now);
  });
  const insertGrants = db.transaction((from, to) => {
    // In key order within a batch, so that consecutive inserts touch neighbouring index pages.
    const rows = [];
    for (let i = from; i < to; i++) {
      const raw = seededToken(prefix, i);
      rows.push({ id: md5(raw), hash: sha256(raw), person: personId(Math.floor(i / GRANTS_PER_PERSON)) });
    }
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const r of rows) grant.run(r.id, clientId, r.person, scope, now, now, expiresAt, now, 'keyturn bench seed');
    rows.sort((a, b) => (a.hash < b.hash ? -1 : 1));
    for (const r of rows) token.run(r.hash, r.id, now, expiresAt);
  });
  for (let from = 0; from < people; from += BATCH) insertPeople(from, Math.min(people, from + BATCH));
  for (let from = 0; from < count; from += BATCH) insertGrants(from, Math.min(count, from + BATCH));
  db.pragma('wal_checkpoint(TRUNCATE)');
  const { size } = db.prepare('SELECT page_count * page_size AS size FROM pragma_page_count(), pragma_page_size()').get();
  db.close();
  // Written without fsync: flush it now, or the kernel writes the half gigabyte back while the bench measures.
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return size;
}

async function seedPostgres(url, { clientId, count, prefix, scope, now, expiresAt, people }) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const pad = TOKEN_LENGTH - prefix.length;
    await client.query('SET synchronous_commit = off');
    await client.query(
      `INSERT INTO users (id, email, password_hash, name, created_at)
       SELECT $1 || 'person-' || p, $1 || p || '@seed.bench.example', $2, NULL, $3 FROM generate_series(0, $4::int - 1) p`,
      [prefix, SEED_PASSWORD_HASH, now, people],
    );
    for (let from = 0; from < count; from += BATCH) {
      const rows = `SELECT i, $1 || lpad(i::text, ${pad}, '0') AS raw FROM generate_series($2::int, $3::int - 1) i`;
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO grants (id, client_id, user_id, sso_session_id, scope, auth_time, created_at, expires_at, last_used_at, revoked_at, revoked_reason, user_agent)
         SELECT md5(raw), $4, $1 || 'person-' || (i / ${GRANTS_PER_PERSON}), NULL, $5, $6, $6, $7, $6, NULL, NULL, 'keyturn bench seed' FROM (${rows}) t ORDER BY 1`,
        [prefix, from, Math.min(count, from + BATCH), clientId, scope, now, expiresAt],
      );
      await client.query(
        `INSERT INTO refresh_tokens (token_hash, grant_id, parent_hash, created_at, expires_at, spent_at, successor_hash)
         SELECT encode(sha256(convert_to(raw, 'UTF8')), 'hex'), md5(raw), NULL, $4, $5, NULL, NULL FROM (${rows}) t ORDER BY 1`,
        [prefix, from, Math.min(count, from + BATCH), now, expiresAt],
      );
      await client.query('COMMIT');
    }
    // As a live database would be: vacuumed (hint bits set, visibility map written) and analyzed,
    // so that autovacuum does not start on the fresh million rows while the bench measures.
    await client.query('VACUUM (ANALYZE)');
    // And its pages on disk: otherwise the next checkpoint writes the seeded gigabyte while the bench
    // measures, and every commit's WAL flush waits behind it.
    await client.query('CHECKPOINT');
    return Number((await client.query('SELECT pg_database_size(current_database()) AS size')).rows[0].size);
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { database: { type: 'string' }, client: { type: 'string' }, count: { type: 'string' }, prefix: { type: 'string', default: 'seed-' }, scope: { type: 'string', default: 'api:read' } } });
  if (!values.database || !values.client || !values.count) {
    console.error('usage: node bench/seed.mjs --database <path | postgres:// URL> --client <id> --count <n> [--prefix <p>] [--scope "<scope>"]');
    process.exit(2);
  }
  const started = performance.now();
  const size = await seedGrants({ database: values.database, clientId: values.client, count: Number(values.count), prefix: values.prefix, scope: values.scope });
  console.log(`seeded ${values.count} grants and refresh tokens in ${((performance.now() - started) / 1000).toFixed(1)} s; database ${(size / 2 ** 20).toFixed(0)} MiB`);
}
