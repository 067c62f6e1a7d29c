// A Keyturn server under test, built from dist/ (or another build's index.js, to compare a
// change with its baseline): its database, signing algorithm, one person and the bench clients
// come from the bench (BENCH_CHILD), logging and housekeeping are off. With `workers` > 1 it is
// a node:cluster primary whose workers each run a server on one shared port, the shape
// `keyturn serve --workers N` would have; its figures are the sum of its workers'.
import cluster from 'node:cluster';
import { pathToFileURL } from 'node:url';
import { childConfig, ownStats, ready, runChild } from './child.mjs';

const { database, dataDir, alg, user, clients, redirect, build, workers = 1 } = childConfig();
const { loadConfig, startServer, addClient, createUser, createKeyturn } = await import(build ? pathToFileURL(build).href : '../../dist/index.js');
const config = (port) =>
  loadConfig(
    { port, host: '127.0.0.1', dataDir, database },
    { KEYTURN_SECRET: 'bench-secret-bench-secret-bench-secret-0', KEYTURN_GC_INTERVAL: '0', KEYTURN_LOG_LEVEL: 'silent', KEYTURN_SIGNING_ALG: alg },
  );

/** The bench person and clients, created once before any server serves. */
async function provision(kt) {
  const person = await createUser(kt, { email: user.email, password: user.password, name: null });
  for (const c of clients) await addClient(kt, { id: c.id, secret: c.secret, redirectUris: [redirect], scope: c.scope, refreshPolicy: c.refreshPolicy });
  return person;
}

if (workers <= 1) {
  runChild(async () => {
    const server = await startServer(config(0));
    const person = await provision(server.kt);
    ready(server.url, { userId: person.id }, () => server.close());
  });
} else if (cluster.isPrimary) {
  runChild(async () => {
    const kt = await createKeyturn(config(0));
    const person = await provision(kt);
    await kt.close();
    const forked = Array.from({ length: workers }, () => cluster.fork({ BENCH_CLUSTER_WORKER: '1' }));
    const urls = await Promise.all(forked.map((w) => new Promise((resolve) => w.on('message', (m) => m.type === 'listening' && resolve(m.url)))));
    let next = 0;
    const waiting = new Map();
    for (const w of forked) w.on('message', (m) => m.type === 'stats' && waiting.get(m.id)?.(m.stats));
    const stats = () => Promise.all(forked.map((w) => new Promise((resolve) => { const id = next++; waiting.set(id, resolve); w.send({ type: 'stats', id }); })));
    const close = () => Promise.all(forked.map((w) => new Promise((resolve) => { w.once('exit', resolve); w.send({ type: 'close' }); })));
    ready(urls[0], { userId: person.id }, close, stats);
  });
} else {
  // A worker: port 0 under cluster is one port shared by all workers, chosen by the primary.
  const server = await startServer(config(0));
  process.on('message', async (m) => {
    if (m.type === 'stats') process.send({ type: 'stats', id: m.id, stats: ownStats() });
    if (m.type === 'close') {
      await server.close();
      process.exit(0);
    }
  });
  process.send({ type: 'listening', url: server.url });
}
