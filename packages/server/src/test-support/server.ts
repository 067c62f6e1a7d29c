/**
 * The one server fixture of the tests: a real Keyturn server on a free port, with its own data
 * folder and database (SQLite by default, or a fresh PostgreSQL database), real HTTP, real crypto.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../app.js';
import type { HttpOptions } from '../http/server.js';
import { loadConfig, type ServerConfig } from '../config.js';
import { addClient, type NewClient } from '../domain/clients.js';
import type { Keyturn } from '../domain/context.js';
import { createUser } from '../domain/users.js';
import { createTestDatabase, type BackendKind } from './databases.js';
import { cookieValue, csrfFrom } from './http.js';

/** The KEYTURN_SECRET of every test server (and of the commands run on its database). */
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

export interface TestServerOptions {
  backend?: BackendKind;
  /** A clock for the server (epoch ms); default Date.now. See `frozenClock`. */
  now?: () => number;
  /** Overrides on top of the loaded configuration. */
  config?: Partial<ServerConfig>;
  /** Extra environment for loadConfig (e.g. KEYTURN_ACCESS_TOKEN_TTL). */
  env?: Record<string, string>;
  /** HTTP options (logger and its stream, trustProxy). */
  http?: HttpOptions;
  /** A data folder of the test's own, kept on close (to start again on it); default: a fresh one, removed on close. */
  dataDir?: string;
  /** KEYTURN_SECRET; `null` leaves it unset, so the server reads or makes the secret file of its data folder. */
  secret?: string | null;
}

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:43123 (also the issuer). */
  url: string;
  issuer: string;
  kt: Keyturn;
  server: RunningServer;
  /** Where the data folder is (secret file, SQLite file). */
  dataDir: string;
  /** The database target (file path or postgres URL). */
  database: string;
  addUser(email: string, password: string, name?: string): ReturnType<typeof createUser>;
  addClient(client: NewClient): ReturnType<typeof addClient>;
  /** Signs in through the real form (GET for CSRF, POST) and returns the npsso cookie value. */
  signIn(email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts a test server; `close()` it afterwards (or use `withServer`).
 *
 * @example
 * ```ts
 * const s = await startTestServer({ now: clock.now, config: { gcIntervalSec: 0 } });
 * const ada = await aPerson(s);
 * ```
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'keyturn-test-'));
  const removeDataDir = () => {
    if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  };
  const db = options.backend === 'postgres' ? await createTestDatabase('postgres') : null;
  const database = db?.target ?? path.join(dataDir, 'keyturn.db');
  const secret = options.secret === undefined ? TEST_SECRET : options.secret;
  const config = loadConfig({ port: 0, host: '127.0.0.1', dataDir, database }, { ...(secret === null ? {} : { KEYTURN_SECRET: secret }), ...options.env });
  Object.assign(config, { logLevel: 'silent' }, options.config);
  let server: RunningServer;
  try {
    server = await startServer(config, { ...options.http, ...(options.now ? { now: options.now } : {}) });
  } catch (err) {
    await db?.dispose();
    removeDataDir();
    throw err;
  }
  const kt = server.kt;
  const url = server.url;
  return {
    url,
    issuer: kt.config.issuer,
    kt,
    server,
    dataDir,
    database,
    addUser: (email, password, name) => createUser(kt, { email, password, name: name ?? null }),
    addClient: (client) => addClient(kt, client),
    signIn: (email, password) => signInThroughForm(url, email, password),
    async close() {
      await server.close();
      await db?.dispose();
      removeDataDir();
    },
  };
}

/**
 * Runs `use` with a fresh test server and closes the server afterwards, whatever happens.
 *
 * @example
 * ```ts
 * await withServer({ config: { gcIntervalSec: 0 } }, async (s) => {
 *   expect((await s.kt.keys.list()).length).toBe(1);
 * });
 * ```
 */
export async function withServer<T>(options: TestServerOptions, use: (s: TestServer) => Promise<T>): Promise<T> {
  const s = await startTestServer(options);
  try {
    return await use(s);
  } finally {
    await s.close();
  }
}

/** A test server started for the tests of one `describe` block, with what `setup` made on it. */
export type ServerFixture<T> = { readonly s: TestServer } & Readonly<T>;

/**
 * The server fixture of a `describe` block (or file): starts a test server before its tests,
 * runs `setup` on it, and closes it after them. Its fields are there inside tests and hooks.
 *
 * @example
 * ```ts
 * const f = useServer({ now: clock.now }, async (s) => ({ app: await aClient(s), ada: await aPerson(s) }));
 * it('refreshes', async () => {
 *   const { s, app, ada } = f;
 * });
 * ```
 */
export function useServer<T extends object = object>(options: TestServerOptions, setup?: (s: TestServer) => Promise<T>): ServerFixture<T> {
  const fixture: { s?: TestServer } = {};
  beforeAll(async () => {
    fixture.s = await startTestServer(options);
    Object.assign(fixture, await setup?.(fixture.s));
  });
  afterAll(async () => {
    await fixture.s?.close();
  });
  return fixture as ServerFixture<T>;
}

/** What a browser does: load the form (CSRF cookie + token), post it, keep the npsso cookie. */
export async function signInThroughForm(url: string, email: string, password: string): Promise<string> {
  const form = await fetch(`${url}/signin`);
  const csrfCookie = cookieValue(form.headers.getSetCookie(), 'kt_csrf');
  const csrf = csrfFrom(await form.text());
  if (!csrfCookie || !csrf) throw new Error('sign-in form has no CSRF token');
  const res = await fetch(`${url}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `kt_csrf=${csrfCookie}` },
    body: new URLSearchParams({ email, password, csrf }).toString(),
  });
  const npsso = cookieValue(res.headers.getSetCookie(), 'npsso');
  if (res.status !== 303 || !npsso) throw new Error(`sign-in failed with status ${res.status}`);
  return npsso;
}
