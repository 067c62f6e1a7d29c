// A Keyturn server under test, built from dist/ (or another build's index.js, to compare a
// change with its baseline): its database, signing algorithm, one person and the bench clients
// come from the bench (BENCH_CHILD), logging and housekeeping are off.
import { pathToFileURL } from 'node:url';
import { childConfig, ready, runChild } from './child.mjs';

runChild(async () => {
  const { database, dataDir, alg, user, clients, redirect, build } = childConfig();
  const { loadConfig, startServer, addClient, createUser } = await import(build ? pathToFileURL(build).href : '../../dist/index.js');
  const config = loadConfig(
    { port: 0, host: '127.0.0.1', dataDir, database },
    { KEYTURN_SECRET: 'bench-secret-bench-secret-bench-secret-0', KEYTURN_GC_INTERVAL: '0', KEYTURN_LOG_LEVEL: 'silent', KEYTURN_SIGNING_ALG: alg },
  );
  const server = await startServer(config);
  const person = await createUser(server.kt, { email: user.email, password: user.password, name: null });
  for (const c of clients) {
    await addClient(server.kt, { id: c.id, secret: c.secret, redirectUris: [redirect], scope: c.scope, refreshPolicy: c.refreshPolicy });
  }
  ready(server.url, { userId: person.id }, () => server.close());
});
