// Server throughput over loopback: a real Keyturn server (built dist/, SQLite in a temp folder,
// port 0, logger off) against a bare fastify route answering {} in the same process, the
// ceiling of the HTTP stack on this machine. Each figure is printed as a ratio to that route,
// measured interleaved with it (bench/load.mjs), with p50/p99 latency. The refresh grant is
// measured again on a fresh PostgreSQL database. The load generator runs in a worker thread
// with 16 keep-alive connections. The reuse refresh is measured a second time during a guessing
// flood (bench/flood.mjs: wrong client secrets from many loopback addresses, another worker).
//
// Run: npm run bench:flood -w @keyturn/server   (after npm run build; `npm run bench` is the peer and floors report, bench/run.mjs)
// Env: BENCH_LANES (16), BENCH_ROUNDS (6) of a 250 ms reference slice and a BENCH_SLICE_MS (600)
//      slice per measurement, BENCH_MAX_REQUESTS per measurement (40000),
//      KEYTURN_BENCH_PG_URL or KEYTURN_TEST_PG_URL (admin connection; postgres://postgres@127.0.0.1:5432/test),
//      BENCH_SIGNING_ALG (RS256, ES256 or EdDSA), BENCH_SKIP_POSTGRES=1, BENCH_ONLY=introspect,rotate (run only measurements whose names contain one of these),
//      BENCH_FLOOD_LANES (32) concurrent guessing connections.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { keyturnSignIn } from './lib/flows.mjs';
import { createPostgresDatabase as createPostgresDatabaseAt } from './lib/postgres.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!existsSync(path.join(here, '..', 'dist', 'index.js'))) {
  console.error('packages/server/dist is missing: run `npm run build` first.');
  process.exit(1);
}
const { loadConfig, startServer, addClient, createUser } = await import('../dist/index.js');
const { default: Fastify } = await import('fastify');

const LANES = Number(process.env.BENCH_LANES ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 600);
const REFERENCE_SLICE_MS = 250;
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 40_000);
const WARMUP = 200;
const ALG = process.env.BENCH_SIGNING_ALG ?? 'RS256';
const FLOOD_LANES = Number(process.env.BENCH_FLOOD_LANES ?? 32);
const PG_ADMIN_URL = process.env.KEYTURN_BENCH_PG_URL ?? process.env.KEYTURN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const TOKEN = '/api/authz/v3/oauth/token';
const INTROSPECT = '/api/authz/v3/oauth/introspect';
const JWKS = '/api/authz/v3/oauth/jwks';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const USER = { email: 'bench@example.com', password: 'staple orbit lantern quietly' };
const REDIRECT = 'https://bench.example/cb';
const CLIENTS = {
  reuse: { id: 'bench-reuse', secret: 'bench-reuse-secret-0123456789', refreshPolicy: 'reuse' },
  rotate: { id: 'bench-rotate', secret: 'bench-rotate-secret-0123456789', refreshPolicy: 'rotate' },
};

const basic = (c) => `Basic ${Buffer.from(`${encodeURIComponent(c.id)}:${encodeURIComponent(c.secret)}`).toString('base64')}`;

/** Runs `job` interleaved with the bare route in a worker thread; resolves with both figures. */
function load(job) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load.mjs', import.meta.url), {
      workerData: {
        reference: { url: bareUrl, path: '/' },
        job,
        lanes: LANES,
        rounds: ROUNDS,
        referenceSliceMs: REFERENCE_SLICE_MS,
        sliceMs: SLICE_MS,
        warmupRequests: WARMUP,
        maxRequests: MAX_REQUESTS,
      },
    });
    worker.once('message', (msg) => (msg.ok ? resolve(msg.result) : reject(new Error(msg.error))));
    worker.once('error', reject);
  });
}

/** A Keyturn server on `database` with one user and the two bench clients. */
async function startKeyturn(database, dataDir) {
  const config = loadConfig(
    { port: 0, host: '127.0.0.1', dataDir, database },
    { KEYTURN_SECRET: 'bench-secret-bench-secret-bench-secret-0', KEYTURN_GC_INTERVAL: '0', KEYTURN_LOG_LEVEL: 'silent', KEYTURN_SIGNING_ALG: ALG },
  );
  const server = await startServer(config);
  await createUser(server.kt, { email: USER.email, password: USER.password, name: null });
  for (const c of Object.values(CLIENTS)) {
    await addClient(server.kt, { id: c.id, secret: c.secret, redirectUris: [REDIRECT], scope: 'openid offline_access', refreshPolicy: c.refreshPolicy });
  }
  return server;
}

/** Signs in through the form as a browser does and returns the npsso cookie. */
const signIn = (url) => keyturnSignIn(url, USER);

/** Authorize + code exchange: a fresh token family of `client`. */
async function tokens(url, npsso, client) {
  const query = new URLSearchParams({ client_id: client.id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid offline_access' });
  const auth = await fetch(`${url}/api/authz/v3/oauth/authorize?${query}`, { redirect: 'manual', headers: { cookie: `npsso=${npsso}` } });
  const code = new URL(auth.headers.get('location') ?? 'x:').searchParams.get('code');
  if (!code) throw new Error(`authorize answered ${auth.status} without a code`);
  const res = await fetch(`${url}${TOKEN}`, {
    method: 'POST',
    headers: { ...FORM, authorization: basic(client) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }).toString(),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`code exchange answered ${res.status} ${body.error}`);
  return body;
}

/** The refresh measurements on one running server: reuse (one token, 16 lanes) and rotate (one family per lane). */
async function refreshJobs(url, npsso) {
  const reuse = await tokens(url, npsso, CLIENTS.reuse);
  const families = [];
  for (let i = 0; i < LANES; i++) families.push(await tokens(url, npsso, CLIENTS.rotate));
  const refreshBody = (t) => new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t }).toString();
  return {
    reuse: { url, method: 'POST', path: TOKEN, headers: { ...FORM, authorization: basic(CLIENTS.reuse) }, bodies: Array(LANES).fill(refreshBody(reuse.refresh_token)) },
    rotate: { url, method: 'POST', path: TOKEN, headers: { ...FORM, authorization: basic(CLIENTS.rotate) }, bodies: families.map((f) => refreshBody(f.refresh_token)), chain: 'refresh_token' },
    accessToken: reuse.access_token,
  };
}

const createPostgresDatabase = () => createPostgresDatabaseAt(PG_ADMIN_URL);

/** Runs `during` while a guessing flood (bench/flood.mjs) hits the token endpoint of `url`; resolves with the flood's figures. */
async function withFlood(url, during) {
  const worker = new Worker(new URL('./flood.mjs', import.meta.url), { workerData: { url, path: TOKEN, clientId: CLIENTS.reuse.id, lanes: FLOOD_LANES } });
  const done = new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  try {
    // Let the flood reach full speed (and the argon2 queue fill) before measuring.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await during();
  } finally {
    worker.postMessage('stop');
  }
  return done;
}

const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
const results = [];
let bareUrl;
let flood;
/** The reuse refresh on SQLite again, while bench/flood.mjs guesses client secrets. */
const FLOODED = 'refresh_token grant, reuse, during flood';
const wanted = (name) => !ONLY || ONLY.some((part) => name.includes(part));
/** Runs and records one measurement (as BENCH_ONLY allows). */
async function measure(name, job) {
  if (!wanted(name)) return;
  const { reference, target } = await load(job);
  results.push({ name, reference: reference.perSecond, ...target });
  if (target.errors > 0) console.error(`  ${name}: ${target.errors} answers were not 200, e.g. ${target.firstError}`);
}

const started = performance.now();
const loadBefore = os.loadavg()[0];
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keyturn-bench-'));
const bare = Fastify({ logger: false });
bare.get('/', async () => ({}));
await bare.listen({ port: 0, host: '127.0.0.1' });
let server;
try {
  bareUrl = `http://127.0.0.1:${bare.server.address().port}`;
  await measure('bare fastify GET {} (reference vs itself)', { url: bareUrl, path: '/' });

  server = await startKeyturn(path.join(dataDir, 'keyturn.db'), dataDir);
  const npsso = await signIn(server.url);
  const jobs = await refreshJobs(server.url, npsso);
  await measure('GET jwks', { url: server.url, path: JWKS });
  const introspectBody = new URLSearchParams({ token: jobs.accessToken, token_type_hint: 'access_token' }).toString();
  await measure('POST introspect (access token)', { url: server.url, method: 'POST', path: INTROSPECT, headers: { ...FORM, authorization: basic(CLIENTS.reuse) }, bodies: Array(LANES).fill(introspectBody) });
  await measure('refresh_token grant, reuse (SQLite)', jobs.reuse);
  if (wanted(FLOODED)) flood = await withFlood(server.url, () => measure(FLOODED, jobs.reuse));
  await measure('refresh_token grant, rotate (SQLite)', jobs.rotate);
  await server.close();
  server = undefined;

  if (process.env.BENCH_SKIP_POSTGRES !== '1') {
    let db;
    try {
      db = await createPostgresDatabase();
    } catch (err) {
      console.error(`PostgreSQL at ${new URL(PG_ADMIN_URL).host} unavailable, skipped: ${err.message}`);
    }
    if (db) {
      const pgDir = mkdtempSync(path.join(os.tmpdir(), 'keyturn-bench-pg-'));
      try {
        server = await startKeyturn(db.url, pgDir);
        const pgJobs = await refreshJobs(server.url, await signIn(server.url));
        await measure('refresh_token grant, reuse (PostgreSQL)', pgJobs.reuse);
        await measure('refresh_token grant, rotate (PostgreSQL)', pgJobs.rotate);
      } finally {
        await server?.close();
        server = undefined;
        await db.drop();
        rmSync(pgDir, { recursive: true, force: true });
      }
    }
  }
} finally {
  await server?.close();
  await bare.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const cpus = os.cpus();
console.log(`Keyturn server over loopback: ${LANES} concurrent keep-alive connections; each measurement ${ROUNDS} x ${SLICE_MS} ms interleaved with ${ROUNDS} x ${REFERENCE_SLICE_MS} ms of the bare route, after ${WARMUP} warm-up requests`);
console.log(`Node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${ALG} signing key, server and load generator in one process (two threads); load average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after`);
console.log('');
console.log(`${'measurement'.padEnd(42)}${'ratio'.padStart(7)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'requests'.padStart(10)}${'bare req/s'.padStart(12)}`);
for (const r of results) {
  console.log(
    `${r.name.padEnd(42)}${(r.perSecond / r.reference).toFixed(3).padStart(7)}${r.perSecond.toFixed(0).padStart(9)}${r.p50.toFixed(2).padStart(9)}${r.p99.toFixed(2).padStart(9)}${String(r.requests).padStart(10)}${r.reference.toFixed(0).padStart(12)}` +
      (r.errors > 0 ? `  (${r.errors} not 200)` : ''),
  );
}
const calm = results.find((r) => r.name === 'refresh_token grant, reuse (SQLite)');
const flooded = results.find((r) => r.name === FLOODED);
if (calm && flooded && flood) {
  const answers = Object.entries(flood.statuses).map(([status, n]) => `${n} x ${status}`).join(', ');
  console.log('');
  console.log(
    `guessing flood (${FLOOD_LANES} connections, wrong client secrets, a new loopback address each): ${flood.sent} requests in ${flood.seconds.toFixed(1)} s (${answers}); ` +
      `refresh during it: p99 ${flooded.p99.toFixed(2)} ms against ${calm.p99.toFixed(2)} ms without (x${(flooded.p99 / calm.p99).toFixed(2)}), ` +
      `p50 x${(flooded.p50 / calm.p50).toFixed(2)}, req/s x${(flooded.perSecond / calm.perSecond).toFixed(2)}`,
  );
}
console.log('');
console.log(`ratio = requests/s divided by those of the bare fastify route measured interleaved with it (bare req/s); total bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (results.some((r) => r.errors > 0)) process.exitCode = 1;
// fetch's global connection pool keeps idle keep-alive sockets (and so this process) alive: end here.
process.exit(process.exitCode ?? 0);
