// Server child processes of the bench: each server under test runs in its own process, so its
// CPU time and memory are its own and the load generator does not share its event loop.
import { fork } from 'node:child_process';

/**
 * Starts `script` (a file under bench/servers) with `config` (and node flags `execArgv`, e.g.
 * --cpu-prof) and waits until it listens.
 * Resolves `{ url, info, stats(), close() }`; `stats()` gives `[{ cpuUs, mainCpuUs, rss }]`, one entry per process.
 */
export function startChild(script, config, env = {}, execArgv = []) {
  const child = fork(new URL(`../servers/${script}`, import.meta.url), [], {
    execArgv,
    env: { ...process.env, ...env, BENCH_CHILD: JSON.stringify(config) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const waiting = new Map();
  let nextId = 0;
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.on('message', (msg) => {
      if (msg.type === 'failed') reject(new Error(`${script}: ${msg.error}`));
      if (msg.type === 'stats') waiting.get(msg.id)?.(msg.processes);
      if (msg.type !== 'ready') return;
      child.removeAllListeners('exit');
      resolve({
        url: msg.url,
        info: msg.info,
        stats() {
          const id = nextId++;
          return new Promise((done) => {
            waiting.set(id, (processes) => {
              waiting.delete(id);
              done(processes);
            });
            child.send({ type: 'stats', id });
          });
        },
        close() {
          return new Promise((done) => {
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            child.send({ type: 'close' });
          });
        },
      });
    });
  });
}
