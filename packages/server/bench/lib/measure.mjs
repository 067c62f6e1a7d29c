// Jobs and their interleaved measurement. A group of jobs (Keyturn, the peer, the floors) is
// measured in rounds: one slice of each job per round, in alternating order, so that every job
// sees the same background load; on a shared 2-core machine figures taken a minute apart differ
// by 2x, ratios of interleaved ones much less. A job's rate is the median of its slices' rates
// (a burst of someone else's work spoils a slice, not the figure); a slice counts the answers
// that arrived within it, and the next slice starts once the stragglers are in. Any answer other
// than 200 counts as an error.
import { sign } from 'node:crypto';
import { Connection, requestHead, withBody } from './rawHttp.mjs';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
}

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** What every job shares: latencies, counts, the server's CPU time over the measured slices. */
function figures(name, server) {
  const latencies = [];
  const rates = [];
  const stats = { requests: 0, elapsedMs: 0, errors: 0, firstError: null, cpuUs: 0, mainCpuUs: 0, maxRss: 0 };
  // Resident memory is sampled around every slice (the peak of the samples): getrusage's maxrss
  // would do, but a child inherits its parent's, and the bench grows while it seeds.
  const cpuOf = async () => {
    const processes = server ? await server.stats() : [];
    stats.maxRss = Math.max(stats.maxRss, ...processes.map((p) => p.rss));
    return { all: processes.reduce((sum, p) => sum + p.cpuUs, 0), main: processes.reduce((sum, p) => sum + p.mainCpuUs, 0) };
  };
  let deadline = 0;
  let inSlice = 0;
  return {
    latencies,
    stats,
    /** Records one answer that took `ms`; it counts toward the slice's rate if it came before the deadline. */
    answered(ms) {
      latencies.push(ms);
      stats.requests++;
      if (performance.now() <= deadline) inSlice++;
    },
    /** Runs one measured slice (`run(deadline)`), adding the server's CPU time spent meanwhile. */
    async timed(ms, run) {
      const cpuBefore = await cpuOf();
      const start = performance.now();
      deadline = start + ms;
      inSlice = 0;
      // A job that ran out of work (its codes) before the deadline answers 'partial': no rate.
      const outcome = await run(deadline);
      stats.elapsedMs += performance.now() - start;
      const cpuAfter = await cpuOf();
      stats.cpuUs += cpuAfter.all - cpuBefore.all;
      stats.mainCpuUs += cpuAfter.main - cpuBefore.main;
      if (outcome !== 'partial') rates.push((inSlice / ms) * 1000);
    },
    async result() {
      const sorted = Float64Array.from(latencies).sort();
      const processes = server ? (await server.stats()).filter((p) => p.rss > 0) : [];
      return {
        name,
        ...stats,
        perSecond: median(rates),
        meanPerSecond: (stats.requests / stats.elapsedMs) * 1000,
        sliceRates: rates.map((r) => Math.round(r)),
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        cpuPercent: server ? (stats.cpuUs / 1000 / stats.elapsedMs) * 100 : NaN,
        // The server's CPU time per answer: the work itself, far steadier than req/s on a loaded machine.
        cpuMsPerRequest: server ? stats.cpuUs / 1000 / stats.requests : NaN,
        mainCpuMsPerRequest: server ? stats.mainCpuUs / 1000 / stats.requests : NaN,
        maxRssMb: processes.length ? stats.maxRss / 2 ** 20 : NaN,
        processes: processes.length,
      };
    },
  };
}

/**
 * An HTTP job on `lanes` keep-alive connections, each sending its next request as soon as the
 * last answer came. `bodies` (form bodies) are shared out: lane i uses bodies i, i+lanes, ... in
 * turn, so a mix of 1,000 tokens spreads over the connections and no two lanes send one rotating
 * token at once. `chain` names an answer field that replaces the same form field of the body
 * just used (rotation); `once` uses each body only once (authorization codes).
 */
export function httpJob({ name, url, method = 'POST', path, headers = {}, bodies = null, chain = null, once = false, lanes, server = null }) {
  const head = requestHead(url, method, path, headers);
  const connections = Array.from({ length: lanes }, () => new Connection(url));
  const slots = bodies ? bodies.slice() : null;
  const own = Array.from({ length: lanes }, (_, lane) => {
    if (!slots) return [];
    return slots.length >= lanes ? slots.map((_, i) => i).filter((i) => i % lanes === lane) : [lane % slots.length];
  });
  const turn = new Array(lanes).fill(0);
  let nextOnce = 0;
  const f = figures(name, server);

  const pick = (lane) => {
    if (!slots) return -1;
    if (once) return nextOnce < slots.length ? nextOnce++ : null;
    const mine = own[lane];
    return mine[turn[lane]++ % mine.length];
  };
  const send = async (lane, slot) => {
    const answer = await connections[lane].send(withBody(head, slot === -1 ? null : slots[slot]));
    if (answer.status === 200 && chain) {
      const next = new URLSearchParams(slots[slot]);
      next.set(chain, JSON.parse(answer.body)[chain]);
      slots[slot] = next.toString();
    }
    return answer;
  };
  let ranOut = false;
  const lanesUntil = async (keepGoing, onAnswer) => {
    ranOut = false;
    await Promise.all(
      connections.map(async (_, lane) => {
        while (keepGoing()) {
          const slot = pick(lane);
          if (slot === null) return void (ranOut = true);
          const t = performance.now();
          onAnswer(await send(lane, slot), performance.now() - t);
        }
      }),
    );
    return ranOut ? 'partial' : 'complete';
  };

  return {
    name,
    /**
     * Warm-up: connections open, JIT tiers, caches (e.g. the verified client secret) filled. One
     * request goes alone first: 50 first requests at once would each check the client secret,
     * and count as failures from this address until checked.
     */
    async warm(count) {
      const check = (answer) => {
        if (answer.status !== 200) throw new Error(`${name}: warm-up answered ${answer.status}: ${answer.body.slice(0, 200)}`);
      };
      const first = pick(0);
      if (first !== null) check(await send(0, first));
      let sent = 1;
      await lanesUntil(
        () => sent++ < count,
        (answer) => check(answer),
      );
    },
    slice: (ms) =>
      f.timed(ms, (deadline) =>
        lanesUntil(
          () => performance.now() < deadline,
          (answer, ms) => {
            f.answered(ms);
            if (answer.status !== 200) {
              f.stats.errors++;
              f.stats.firstError ??= `${answer.status}: ${answer.body.slice(0, 200)}`;
            }
          },
        ),
      ),
    async result() {
      for (const c of connections) c.close();
      return f.result();
    },
  };
}

/**
 * The signing floor: `node:crypto.sign` of a token-sized payload with `privateKey` (a KeyObject),
 * callback form so the libuv pool signs on every core, `inFlight` at once.
 */
export function signJob({ name, privateKey, alg, inFlight }) {
  const data = Buffer.from('x'.repeat(600));
  const algorithm = alg === 'EdDSA' ? null : 'sha256';
  const options = alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey;
  const f = figures(name, null);
  const once = () => new Promise((resolve, reject) => sign(algorithm, data, options, (err) => (err ? reject(err) : resolve())));
  const run = (keepGoing, onDone) =>
    Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (keepGoing()) {
          const t = performance.now();
          await once();
          onDone(performance.now() - t);
        }
      }),
    );
  return {
    name,
    async warm(count) {
      let n = 0;
      await run(() => n++ < count, () => {});
    },
    slice: (ms) =>
      f.timed(ms, (deadline) =>
        run(
          () => performance.now() < deadline,
          (ms) => f.answered(ms),
        ),
      ),
    result: () => f.result(),
  };
}

/** Measures `jobs` interleaved: warm-up, then `rounds` rounds of one `sliceMs` slice per job. */
export async function measureGroup(jobs, { rounds, sliceMs, warmup }) {
  for (const job of jobs) await job.warm(warmup);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? jobs : [...jobs].reverse();
    for (const job of order) await job.slice(sliceMs);
  }
  return Promise.all(jobs.map((job) => job.result()));
}
