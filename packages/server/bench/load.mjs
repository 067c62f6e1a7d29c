// The load generator, run in a worker thread so that it does not share the server's event loop.
// It measures a job and the reference job interleaved (reference slice, job slice, reference
// slice, ...) so that both see the same background load: on a shared 2-core machine, numbers
// taken a few seconds apart differ by 2x, a ratio of interleaved ones much less. Each job runs
// on `lanes` concurrent keep-alive connections, each sending its next request as soon as the
// last answer arrived. Any status other than 200 counts as an error (a bench of 400s is no bench).
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * @typedef {object} Job
 * @property {string} url          base URL, e.g. http://127.0.0.1:41234
 * @property {string} [method]
 * @property {string} path
 * @property {Record<string, string>} [headers]
 * @property {string[] | null} [bodies]  one form body per lane, or none
 * @property {string | null} [chain]     a JSON field of each answer that replaces the same form field in the lane's next body (rotation)
 */

/** A job's connections and lane state, and its accumulated figures. */
function runner(job, lanes, maxRequests) {
  const { hostname, port } = new URL(job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: lanes });
  const bodies = job.bodies ? job.bodies.slice() : null;
  const latencies = new Float64Array(maxRequests);
  const stats = { requests: 0, elapsedMs: 0, errors: 0, firstError: null };

  const send = (lane) =>
    new Promise((resolve, reject) => {
      const body = bodies ? bodies[lane] : null;
      const headers = { ...job.headers };
      if (body !== null) headers['content-length'] = Buffer.byteLength(body);
      const req = http.request({ agent, host: hostname, port, method: job.method ?? 'GET', path: job.path, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === 200 && job.chain) {
            const value = JSON.parse(text)[job.chain];
            if (typeof value !== 'string') return reject(new Error(`answer has no ${job.chain}`));
            const next = new URLSearchParams(bodies[lane]);
            next.set(job.chain, value);
            bodies[lane] = next.toString();
          }
          resolve({ status: res.statusCode, text });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body ?? undefined);
    });

  return {
    /** Warm-up: connections open, JIT tiers, caches (e.g. the verified client secret) filled. */
    async warm(count) {
      let sent = 0;
      await Promise.all(
        Array.from({ length: lanes }, async (_, lane) => {
          while (sent < count) {
            sent++;
            const { status, text } = await send(lane);
            if (status !== 200) throw new Error(`warm-up answered ${status}: ${text.slice(0, 200)}`);
          }
        }),
      );
    },
    /** One measured slice of `ms`. */
    async slice(ms) {
      const start = performance.now();
      const deadline = start + ms;
      await Promise.all(
        Array.from({ length: lanes }, async (_, lane) => {
          while (stats.requests < maxRequests && performance.now() < deadline) {
            const t = performance.now();
            const { status, text } = await send(lane);
            if (stats.requests >= maxRequests) break;
            latencies[stats.requests++] = performance.now() - t;
            if (status !== 200) {
              stats.errors++;
              stats.firstError ??= `${status}: ${text.slice(0, 200)}`;
            }
          }
        }),
      );
      stats.elapsedMs += performance.now() - start;
    },
    result() {
      agent.destroy();
      const n = stats.requests;
      const sorted = latencies.subarray(0, n).sort();
      const pct = (p) => (n === 0 ? NaN : sorted[Math.min(n - 1, Math.floor((p / 100) * n))]);
      return { ...stats, perSecond: (n / stats.elapsedMs) * 1000, p50: pct(50), p99: pct(99) };
    },
  };
}

async function run({ reference, job, lanes, rounds, referenceSliceMs, sliceMs, warmupRequests, maxRequests }) {
  const ref = runner(reference, lanes, maxRequests);
  const target = runner(job, lanes, maxRequests);
  await ref.warm(warmupRequests);
  await target.warm(warmupRequests);
  for (let round = 0; round < rounds; round++) {
    await ref.slice(referenceSliceMs);
    await target.slice(sliceMs);
  }
  return { reference: ref.result(), target: target.result() };
}

run(workerData).then(
  (result) => parentPort.postMessage({ ok: true, result }),
  (err) => parentPort.postMessage({ ok: false, error: String(err?.stack ?? err) }),
);
