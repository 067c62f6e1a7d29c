// Keyturn's token endpoint against its peer and its floors, measured in one run, interleaved, as
// ratios. Every server runs in its own child process (built dist/ for Keyturn); the load comes
// from this process over loopback on BENCH_CONNECTIONS keep-alive connections.
//
// - peer: oidc-provider (bench/servers/oidcProvider.mjs) doing the same work;
// - floors: node:crypto.sign of the same algorithm with both cores busy, and a bare fastify route;
// - rows: refresh reuse (access token only; access + ID token), refresh rotate, code exchange and
//   introspection, on SQLite and PostgreSQL, per signing algorithm, over a mix of BENCH_TOKENS
//   distinct refresh tokens (seeded by bench/seed.mjs for Keyturn, real code flows for the peer);
// - scale: refresh with BENCH_SCALE stored tokens (and as many grants) against the mix's server,
//   at 50 connections (saturated) and at 4 (latency without queueing).
//
// Run: npm run bench -w @keyturn/server   (after npm run build)
// Env: BENCH_CONNECTIONS (50), BENCH_ROUNDS (6) of BENCH_SLICE_MS (400) per row, BENCH_WARMUP (300),
//      BENCH_TOKENS (1000), BENCH_CODES (3000), BENCH_SCALE (1000000; 0 skips) also at BENCH_SCALE_CONNECTIONS (4), BENCH_ALGS (RS256,ES256),
//      BENCH_FLOOR_IN_FLIGHT (8), BENCH_ONLY=reuse,rotate (groups whose titles contain one of these),
//      BENCH_SKIP_POSTGRES=1, BENCH_SKIP_PEER=1, BENCH_BASELINE=<other builds' dist/index.js, comma-separated> (adds their rows, to measure a change),
//      BENCH_WORKERS=N (adds rows of Keyturn as a node:cluster of N workers), BENCH_BASELINE_NODE_FLAGS (node flags of the baselines' servers), BENCH_BASELINE_ENV (NAME=value pairs for them), KEYTURN_BENCH_PG_URL or KEYTURN_TEST_PG_URL (admin URL; postgres://postgres@127.0.0.1:5432/test).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from './lib/children.mjs';
import { basic, exchangeCode, keyturnCode, keyturnSignIn, many, peerTokens, TOKEN_FORM } from './lib/flows.mjs';
import { httpJob, measureGroup, signJob } from './lib/measure.mjs';
import { createPostgresDatabase } from './lib/postgres.mjs';
import { describeAnswer, printGroup } from './lib/report.mjs';
import { seededToken, seedGrants } from './seed.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!existsSync(path.join(here, '..', 'dist', 'index.js'))) {
  console.error('packages/server/dist is missing: run `npm run build` first.');
  process.exit(1);
}

const env = process.env;
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 50);
const MEASURE = { rounds: Number(env.BENCH_ROUNDS ?? 6), sliceMs: Number(env.BENCH_SLICE_MS ?? 400), warmup: Number(env.BENCH_WARMUP ?? 300) };
const TOKENS = Number(env.BENCH_TOKENS ?? 1000);
const CODES = Number(env.BENCH_CODES ?? 3000);
const SCALE = Number(env.BENCH_SCALE ?? 1_000_000);
const SCALE_CONNECTIONS = Number(env.BENCH_SCALE_CONNECTIONS ?? 4);
const ALGS = (env.BENCH_ALGS ?? 'RS256,ES256').split(',');
const IN_FLIGHT = Number(env.BENCH_FLOOR_IN_FLIGHT ?? 8);
const ONLY = env.BENCH_ONLY ? env.BENCH_ONLY.split(',') : null;
const PG_ADMIN_URL = env.KEYTURN_BENCH_PG_URL ?? env.KEYTURN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WITH_POSTGRES = env.BENCH_SKIP_POSTGRES !== '1';
const WITH_PEER = env.BENCH_SKIP_PEER !== '1';
const BASELINES = env.BENCH_BASELINE ? env.BENCH_BASELINE.split(',').map((p) => path.resolve(p)) : [];
const WORKERS = Number(env.BENCH_WORKERS ?? 1);
/** BENCH_BASELINE_NODE_FLAGS: node flags for the baseline builds' servers, e.g. to measure a V8 setting (same build as a baseline). */
const NODE_FLAGS = new Map(BASELINES.map((b) => [b, env.BENCH_BASELINE_NODE_FLAGS ? env.BENCH_BASELINE_NODE_FLAGS.split(' ') : []]));
/** BENCH_BASELINE_ENV: NAME=value pairs for the baseline builds' servers, e.g. UV_THREADPOOL_SIZE=2 (same build as a baseline). */
const BASELINE_ENV = Object.fromEntries((env.BENCH_BASELINE_ENV ?? '').split(' ').filter(Boolean).map((pair) => pair.split(/=(.*)/s).slice(0, 2)));

const TOKEN = '/api/authz/v3/oauth/token';
const INTROSPECT = '/api/authz/v3/oauth/introspect';
const REDIRECT = 'https://bench.example/cb';
const USER = { email: 'bench@example.com', password: 'staple orbit lantern quietly' };
const secret = (id) => `${id}-secret-0123456789abcdef`;
/** The three kinds of refresh work, as Keyturn and the peer each register them. */
const KINDS = {
  at: { scope: 'api:read', policy: 'reuse', signatures: 1 },
  id: { scope: 'openid offline_access api:read', policy: 'reuse', signatures: 2 },
  rotate: { scope: 'api:read', policy: 'rotate', signatures: 1 },
};
const clientOf = (prefix, kind) => ({ id: `${prefix}-${kind}`, secret: secret(`${prefix}-${kind}`), scope: KINDS[kind].scope, refreshPolicy: KINDS[kind].policy });
const KT = Object.fromEntries(Object.keys(KINDS).map((k) => [k, clientOf('keyturn', k)]));
const PEER = Object.fromEntries(Object.keys(KINDS).map((k) => [k, clientOf('peer', k)]));

const wanted = (title) => !ONLY || ONLY.some((part) => title.includes(part));
const refreshBody = (token) => new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }).toString();
const cleanups = [];
const summary = [];

/** A Keyturn server on a fresh SQLite file or PostgreSQL database, with the bench person and clients. */
async function startKeyturn(backend, alg, build = null, workers = 1) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keyturn-bench-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let database = path.join(dataDir, 'keyturn.db');
  let pgDatabase = null;
  if (backend === 'PostgreSQL') {
    pgDatabase = await createPostgresDatabase(PG_ADMIN_URL);
    cleanups.push(() => pgDatabase.drop());
    database = pgDatabase.url;
  }
  const child = await startChild('keyturn.mjs', { database, dataDir, alg, user: USER, clients: Object.values(KT), redirect: REDIRECT, build, workers }, { KEYTURN_CODE_TTL: '600', ...(NODE_FLAGS.has(build) ? BASELINE_ENV : {}) }, NODE_FLAGS.get(build) ?? []);
  cleanups.push(() => child.close());
  // PostgreSQL's backends count as part of the server: SQLite's work is inside the process.
  const stats = pgDatabase ? async () => [...(await child.stats()), await pgDatabase.backendStats()] : child.stats;
  // A baseline is named after the folder above its dist/.
  const label = `Keyturn ${backend}${workers > 1 ? `, ${workers} workers` : ''}${build ? ` (${path.basename(path.dirname(path.dirname(build)))})` : ''}`;
  return { ...child, stats, backend, database, baseline: build !== null || workers > 1, label };
}

/** The bench's mix for `kind` on a Keyturn server: TOKENS seeded grants, or on `scale` a spread over that many. */
async function seedMix(server, kind, count = TOKENS) {
  const prefix = `${kind}-${count}-`;
  const size = await seedGrants({ database: server.database, clientId: KT[kind].id, count, prefix, scope: KINDS[kind].scope });
  const step = Math.max(1, Math.floor(count / TOKENS));
  return { size, bodies: Array.from({ length: Math.min(TOKENS, count) }, (_, i) => refreshBody(seededToken(prefix, i * step))) };
}

const refreshTitle = (kind, alg) =>
  `${{ at: 'refresh reuse, access token only', id: 'refresh reuse, access + ID token', rotate: 'refresh rotate' }[kind]}, ${alg}, ${CONNECTIONS} connections`;

const refreshJob = (name, server, client, bodies, kind, lanes = CONNECTIONS) => ({
  ...httpJob({ name, url: server.url, path: server.tokenPath ?? TOKEN, headers: { ...TOKEN_FORM, authorization: basic(client) }, bodies, chain: KINDS[kind].policy === 'rotate' ? 'refresh_token' : null, lanes, server }),
  signatures: KINDS[kind].signatures,
});

/** Runs a group (as BENCH_ONLY allows), prints it and keeps its rows for the summary. */
async function group(title, jobs, roles = {}) {
  if (!wanted(title)) return null;
  const results = await measureGroup(jobs, MEASURE);
  results.forEach((r, i) => (r.signatures = jobs[i].signatures));
  const by = (job) => (job ? results[jobs.indexOf(job)] : null);
  printGroup(title, results, { peer: by(roles.peer), floor: by(roles.floor), bare: by(roles.bare) });
  summary.push({ title, results });
  return results;
}

/** One real code flow and one refresh on each server, described; returns an access token per server. */
async function describeWork(servers, peer) {
  const accessTokens = new Map();
  for (const server of servers) {
    server.npsso = await keyturnSignIn(server.url, USER);
    for (const kind of Object.keys(KINDS)) {
      const first = await exchangeCode(`${server.url}${TOKEN}`, KT[kind], await keyturnCode(server.url, server.npsso, KT[kind], REDIRECT), REDIRECT);
      if (kind === 'at') accessTokens.set(server, first.access_token);
      if (server !== servers[0]) continue;
      const again = await (await fetch(`${server.url}${TOKEN}`, { method: 'POST', headers: { ...TOKEN_FORM, authorization: basic(KT[kind]) }, body: refreshBody(first.refresh_token) })).json();
      console.log(`  Keyturn refresh ${kind}: ${describeAnswer(again)}`);
    }
  }
  if (peer) {
    for (const kind of Object.keys(KINDS)) {
      const first = await peerTokens(peer.url, PEER[kind], REDIRECT);
      const again = await (await fetch(`${peer.url}/token`, { method: 'POST', headers: { ...TOKEN_FORM, authorization: basic(PEER[kind]) }, body: refreshBody(first.refresh_token) })).json();
      console.log(`  oidc-provider refresh ${kind}: ${describeAnswer(again)}`);
    }
  }
  return accessTokens;
}

async function benchAlgorithm(alg, bare) {
  console.log(`\n=== ${alg} ===`);
  const servers = [];
  for (const [build, workers] of [[null, 1], ...(WORKERS > 1 ? [[null, WORKERS]] : []), ...BASELINES.map((b) => [b, 1])]) {
    servers.push(await startKeyturn('SQLite', alg, build, workers));
    if (WITH_POSTGRES) servers.push(await startKeyturn('PostgreSQL', alg, build, workers));
  }
  const peer = WITH_PEER ? { ...(await startChild('oidcProvider.mjs', { alg, clients: Object.values(PEER), redirect: REDIRECT })), label: 'oidc-provider 9.13 (memory)', tokenPath: '/token' } : null;
  if (peer) cleanups.push(() => peer.close());
  const accessTokens = await describeWork(servers, peer);

  let started = performance.now();
  const mixes = new Map();
  const scaleTitle = `refresh reuse at ${SCALE.toLocaleString('en')} stored refresh tokens, ${alg}`;
  const withScale = SCALE > 0 && alg === ALGS[0] && wanted(scaleTitle);
  const kinds = Object.keys(KINDS).filter((kind) => wanted(refreshTitle(kind, alg)) || (kind === 'at' && withScale));
  for (const server of servers) for (const kind of kinds) mixes.set(`${server.label} ${kind}`, (await seedMix(server, kind)).bodies);
  if (peer) {
    const jars = Array.from({ length: 50 }, () => new Map());
    for (const kind of kinds) {
      const answers = await many(TOKENS, 8, (i) => peerTokens(peer.url, PEER[kind], REDIRECT, jars[i % jars.length]));
      mixes.set(`peer ${kind}`, answers.map((a) => refreshBody(a.refresh_token)));
    }
  }
  console.log(`  token mixes ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${TOKENS} per kind and server${peer ? ` (the peer's from real code flows over 50 sessions)` : ''}`);

  const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  // A fresh floor job per group, so each group's floor is measured interleaved with that group alone.
  const floorJob = () => signJob({ name: `floor: crypto.sign ${alg}, ${IN_FLIGHT} in flight`, privateKey, alg, inFlight: IN_FLIGHT });
  const bareJob = httpJob({ name: 'floor: bare fastify POST form -> JSON', url: bare.url, path: '/token', headers: TOKEN_FORM, bodies: [refreshBody('x'.repeat(43))], lanes: CONNECTIONS, server: bare });
  for (const kind of kinds) {
    const title = refreshTitle(kind, alg);
    const jobs = servers.map((s) => refreshJob(s.label, s, KT[kind], mixes.get(`${s.label} ${kind}`), kind));
    const peerJob = peer ? refreshJob(peer.label, peer, PEER[kind], mixes.get(`peer ${kind}`), kind) : null;
    const floor = floorJob();
    const extra = kind === 'at' ? [floor, bareJob] : [floor];
    await group(title, [...jobs, ...(peerJob ? [peerJob] : []), ...extra], { peer: peerJob, floor, bare: kind === 'at' ? bareJob : null });
  }

  const codeTitle = `code exchange, ${alg}`;
  if (wanted(codeTitle)) {
    started = performance.now();
    const codeJobs = [];
    for (const s of servers) {
      const codes = await many(CODES, 4, () => keyturnCode(s.url, s.npsso, KT.at, REDIRECT));
      const bodies = codes.map((code) => new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }).toString());
      codeJobs.push({ ...httpJob({ name: s.label, url: s.url, path: TOKEN, headers: { ...TOKEN_FORM, authorization: basic(KT.at) }, bodies, once: true, lanes: CONNECTIONS, server: s }), signatures: 1 });
    }
    console.log(`  ${CODES} codes per server ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const floor = floorJob();
    await group(`${codeTitle} (access token + new grant and refresh token), ${CONNECTIONS} connections`, [...codeJobs, floor], { floor });
  }
  const introspectJobs = servers.map((s) => ({
    ...httpJob({ name: s.label, url: s.url, path: INTROSPECT, headers: { ...TOKEN_FORM, authorization: basic(KT.at) }, bodies: [new URLSearchParams({ token: accessTokens.get(s), token_type_hint: 'access_token' }).toString()], lanes: CONNECTIONS, server: s }),
    signatures: 0,
  }));
  await group(`introspection of a JWT access token, ${alg}, ${CONNECTIONS} connections`, introspectJobs);

  if (withScale) await benchScale(scaleTitle, alg, servers.filter((s) => !s.baseline), mixes);
  while (cleanups.length > 0) await cleanups.pop()();
}

/** Fresh servers seeded with SCALE grants and tokens, against the mix's servers (TOKENS), interleaved. */
async function benchScale(title, alg, small, mixes) {
  // Both backends seed at once: SQLite's seeding is this process's CPU, PostgreSQL's its own.
  const big = await Promise.all(
    small.map(async (server) => {
      const started = await startKeyturn(server.backend, alg);
      const t = performance.now();
      const { size, bodies } = await seedMix(started, 'at', SCALE);
      const bytes = server.backend === 'SQLite' ? statSync(started.database).size : size;
      console.log(`  ${started.label}: seeded ${SCALE.toLocaleString('en')} grants and refresh tokens in ${((performance.now() - t) / 1000).toFixed(1)} s; database ${(bytes / 2 ** 20).toFixed(0)} MiB`);
      return { server: started, bodies };
    }),
  );
  // At 50 connections the server is saturated and latency is mostly queueing; at SCALE_CONNECTIONS
  // it is the time a refresh takes, which is what a bigger database could stretch.
  for (const lanes of [CONNECTIONS, SCALE_CONNECTIONS]) {
    const jobs = small.flatMap((server, i) => [
      refreshJob(`${server.label}, ${TOKENS.toLocaleString('en')} tokens`, server, KT.at, mixes.get(`${server.label} at`), 'at', lanes),
      refreshJob(`${server.label}, ${SCALE.toLocaleString('en')} tokens`, big[i].server, KT.at, big[i].bodies, 'at', lanes),
    ]);
    await group(`${title}, ${lanes} connections`, jobs);
  }
}

const started = performance.now();
const loadBefore = os.loadavg();
const bare = await startChild('bare.mjs', {});
try {
  for (const alg of ALGS) await benchAlgorithm(alg, bare);
} finally {
  while (cleanups.length > 0) await Promise.resolve().then(cleanups.pop()).catch((err) => console.error(`cleanup failed: ${err.message}`));
  await bare.close();
}
const cpus = os.cpus();
console.log(
  `\nNode ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}); ${CONNECTIONS} keep-alive connections per row, ${MEASURE.rounds} interleaved rounds of ${MEASURE.sliceMs} ms after ${MEASURE.warmup} warm-up requests; ` +
    `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} after; total ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.log('req/s = median of the slices\' rates; vs peer = req/s / the peer row\'s; % floor = signatures per answer x req/s / the signing floor\'s signatures/s; % bare = req/s / the bare route\'s;');
console.log('CPU % of one core over the slices; CPU ms = the server\'s CPU time per answer (all its threads, and for PostgreSQL its database backends; main = its main thread alone); RSS = the server process\'s resident memory, highest sample around the slices');
if (env.BENCH_JSON) (await import('node:fs')).writeFileSync(env.BENCH_JSON, JSON.stringify({ date: new Date().toISOString(), node: process.version, loadBefore, loadAfter: os.loadavg(), summary }, null, 1));
if (summary.some((g) => g.results.some((r) => r.errors > 0))) process.exitCode = 1;
