// The load generator, run in a worker thread so that it does not share the server's event loop:
// `lanes` concurrent keep-alive connections, each sending its next request as soon as the last
// answer arrived, until `maxRequests` answers or `maxMs` have passed. Reports throughput and
// latency percentiles; any status other than 200 counts as an error (a bench of 400s is no bench).
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * @typedef {object} Job
 * @property {string} url          base URL, e.g. http://127.0.0.1:41234
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} headers
 * @property {string[] | null} bodies  one form body per lane, or null for no body
 * @property {string | null} chain     a JSON field of each answer that replaces the same form field in the lane's next body (rotation)
 * @property {number} lanes
 * @property {number} warmupRequests
 * @property {number} maxRequests
 * @property {number} maxMs
 */

/** @param {Job} job */
async function run(job) {
  const { hostname, port } = new URL(job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.lanes });
  const current = (job.bodies ?? []).slice();

  const send = (lane) =>
    new Promise((resolve, reject) => {
      const body = job.bodies ? current[lane] : null;
      const headers = { ...job.headers };
      if (body !== null) headers['content-length'] = Buffer.byteLength(body);
      const req = http.request({ agent, host: hostname, port, method: job.method, path: job.path, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === 200 && job.chain) {
            const value = JSON.parse(text)[job.chain];
            if (typeof value !== 'string') return reject(new Error(`answer has no ${job.chain}`));
            const next = new URLSearchParams(current[lane]);
            next.set(job.chain, value);
            current[lane] = next.toString();
          }
          resolve({ status: res.statusCode, text });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body ?? undefined);
    });

  // Warm-up: connections open, JIT tiers, caches (e.g. the verified client secret) filled.
  let warm = 0;
  await Promise.all(
    Array.from({ length: job.lanes }, async (_, lane) => {
      while (warm < job.warmupRequests) {
        warm++;
        const { status, text } = await send(lane);
        if (status !== 200) throw new Error(`warm-up answered ${status}: ${text.slice(0, 200)}`);
      }
    }),
  );

  const latencies = new Float64Array(job.maxRequests);
  let done = 0;
  let errors = 0;
  let firstError = null;
  const start = performance.now();
  const deadline = start + job.maxMs;
  await Promise.all(
    Array.from({ length: job.lanes }, async (_, lane) => {
      while (done < job.maxRequests && performance.now() < deadline) {
        const t = performance.now();
        const { status, text } = await send(lane);
        if (done >= job.maxRequests) break;
        latencies[done++] = performance.now() - t;
        if (status !== 200) {
          errors++;
          firstError ??= `${status}: ${text.slice(0, 200)}`;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  agent.destroy();
  const sorted = latencies.subarray(0, done).sort();
  const pct = (p) => (done === 0 ? NaN : sorted[Math.min(done - 1, Math.floor((p / 100) * done))]);
  return { requests: done, elapsedMs, perSecond: (done / elapsedMs) * 1000, p50: pct(50), p99: pct(99), errors, firstError };
}

run(workerData).then(
  (result) => parentPort.postMessage({ ok: true, result }),
  (err) => parentPort.postMessage({ ok: false, error: String(err?.stack ?? err) }),
);
