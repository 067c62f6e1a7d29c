/**
 * The five stores as conformance-suite backends, each on its real service: a temp folder, a
 * SQLite file, a fresh PostgreSQL database per run (dropped after), a random Redis prefix
 * (deleted after). `KEYTURN_TEST_PG_URL` / `KEYTURN_TEST_REDIS_URL` override the services.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TokenStore } from '../../vault/types.js';
import { createFileStore } from '../file.js';
import { createMemoryStore } from '../memory.js';
import { createPostgresStore } from '../postgres.js';
import { createRedisStore } from '../redis.js';
import { createSqliteStore } from '../sqlite.js';

export const TEST_PG_ADMIN_URL = process.env['KEYTURN_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env['KEYTURN_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Everything needed to open a store on a shared backend, as JSON so a child process can open it too. */
export type StoreSpec =
  | { kind: 'file'; directory: string }
  | { kind: 'sqlite'; path: string; table: string }
  | { kind: 'postgres'; url: string; table: string }
  | { kind: 'redis'; url: string; prefix: string };

/** Opens a new, independent store instance (own connection, nothing shared in memory) for `spec`. */
export function openSpec(spec: StoreSpec): Promise<TokenStore> {
  switch (spec.kind) {
    case 'file':
      return createFileStore({ directory: spec.directory });
    case 'sqlite':
      return createSqliteStore({ path: spec.path, table: spec.table });
    case 'postgres':
      return createPostgresStore({ connectionString: spec.url, table: spec.table });
    case 'redis':
      return createRedisStore({ url: spec.url, prefix: spec.prefix });
  }
}

export interface Backend {
  name: string;
  /** False for memory: two instances never share anything. */
  shared: boolean;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** The spec of namespace `ns` (folder / table / prefix); equal `ns` means equal data. */
  spec(ns: string): StoreSpec | null;
  /** A new store instance on namespace `ns` (memory: the one instance of that namespace). */
  open(ns: string): Promise<TokenStore>;
}

function withSpec(name: string, spec: (ns: string) => StoreSpec, setup: () => Promise<void>, teardown: () => Promise<void>): Backend {
  return { name, shared: true, setup, teardown, spec, open: (ns) => openSpec(spec(ns)) };
}

export function memoryBackend(): Backend {
  const instances = new Map<string, TokenStore>();
  return {
    name: 'memory',
    shared: false,
    async setup() {},
    async teardown() {},
    spec: () => null,
    async open(ns) {
      let store = instances.get(ns);
      if (!store) instances.set(ns, (store = createMemoryStore()));
      return store;
    },
  };
}

export function fileBackend(): Backend {
  let root = '';
  return withSpec(
    'file',
    (ns) => ({ kind: 'file', directory: join(root, ns) }),
    async () => {
      root = mkdtempSync(join(tmpdir(), 'keyturn-file-store-'));
    },
    async () => rmSync(root, { recursive: true, force: true }),
  );
}

export function sqliteBackend(): Backend {
  let root = '';
  return withSpec(
    'sqlite',
    (ns) => ({ kind: 'sqlite', path: join(root, 'tokens.db'), table: `t_${ns}` }),
    async () => {
      root = mkdtempSync(join(tmpdir(), 'keyturn-sqlite-store-'));
    },
    async () => rmSync(root, { recursive: true, force: true }),
  );
}

export function postgresBackend(): Backend {
  const database = `keyturn_client_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${database}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return withSpec(
    'postgres',
    (ns) => ({ kind: 'postgres', url: url.toString(), table: `t_${ns}` }),
    () => admin(`CREATE DATABASE ${database}`),
    () => dropTestDatabase(database),
  );
}

/**
 * Drops a test database once the connections of closed pools have gone. `pool.end()` can
 * resolve before the server has seen the sockets close; dropping WITH (FORCE) at that moment
 * sends those clients a FATAL that nobody listens for any more (an unhandled error in the
 * run), so FORCE is only the last resort.
 */
export async function dropTestDatabase(database: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 40; attempt += 1) {
      try {
        await client.query(`DROP DATABASE IF EXISTS ${database}`);
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== '55006') throw err; // 55006: still in use
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export function redisBackend(): Backend {
  const prefix = `keyturn-client-test:${randomBytes(6).toString('hex')}:`;
  return withSpec(
    'redis',
    (ns) => ({ kind: 'redis', url: TEST_REDIS_URL, prefix: `${prefix}${ns}:` }),
    async () => {},
    async () => {
      const redis = new Redis(TEST_REDIS_URL);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        await redis.quit();
      }
    },
  );
}
