// A guessing flood, run in a worker thread beside the measured load: wrong client secrets at the
// token endpoint, each request from a new loopback source address (127.77.x.y, a new connection
// each), on `lanes` concurrent connections, until the parent posts 'stop'. It answers how many
// requests were sent and how the server answered them (401 checked, 429 locked, 503 queue full).
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, path, clientId, lanes } = workerData;
const { hostname, port } = new URL(url);
const statuses = {};
let running = true;
let sent = 0;
const started = performance.now();

parentPort.on('message', (msg) => {
  if (msg === 'stop') running = false;
});

function guess(i) {
  const body = 'grant_type=refresh_token&refresh_token=x';
  const authorization = `Basic ${Buffer.from(`${clientId}:wrong-guess-${i}-0123456789`).toString('base64')}`;
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: hostname,
        port,
        method: 'POST',
        path,
        agent: false,
        localAddress: `127.77.${(i >> 8) & 255}.${(i & 255) || 1}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length, authorization, connection: 'close' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', () => resolve('error'));
    req.end(body);
  });
}

await Promise.all(
  Array.from({ length: lanes }, async () => {
    while (running) {
      const status = await guess(sent++);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
parentPort.postMessage({ sent, statuses, seconds: (performance.now() - started) / 1000 });
