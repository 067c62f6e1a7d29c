// The bench side of a server child process: reports where it listens, answers CPU and memory
// questions from the bench (process-wide figures, so the signing thread pool counts too), and
// stops when told or when the bench goes away.

import { readFileSync } from 'node:fs';

/** CPU time of the main thread alone (µs), from Linux's /proc (10 ms ticks); NaN elsewhere. */
function mainThreadCpuUs() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command.
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return NaN;
  }
}

/** CPU time (µs, all threads; and the main thread's) and resident memory (bytes) of this process. */
export function ownStats() {
  const cpu = process.cpuUsage();
  return { cpuUs: cpu.user + cpu.system, mainCpuUs: mainThreadCpuUs(), rss: process.memoryUsage.rss() };
}

/** The bench's configuration of this child, passed as JSON in BENCH_CHILD. */
export function childConfig() {
  return JSON.parse(process.env.BENCH_CHILD ?? '{}');
}

/**
 * Tells the bench this server is up at `url` (with `info` for it) and serves its questions.
 * `stats` defaults to this process's own figures; a cluster primary passes one that sums its workers.
 */
export function ready(url, info, close, stats = async () => [ownStats()]) {
  process.on('message', async (msg) => {
    if (msg.type === 'stats') process.send({ type: 'stats', id: msg.id, processes: await stats() });
    if (msg.type === 'close') {
      await close();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ type: 'ready', url, info });
}

/** Runs `main`; a failure is reported to the bench instead of leaving it waiting. */
export function runChild(main) {
  main().catch((err) => {
    process.send?.({ type: 'failed', error: String(err?.stack ?? err) });
    process.exit(1);
  });
}
