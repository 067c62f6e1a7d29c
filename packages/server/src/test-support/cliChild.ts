/** The built `keyturn` command as a child process that a test reads while it runs (prompts, codes) and signals. */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './cli.js';

export interface RunningKeyturn {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout, as soon as it has been printed. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** The exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/**
 * Starts `keyturn …args` with `env`; standard input is closed at once.
 *
 * @example
 * ```ts
 * const login = startKeyturn(['login', '--device', '--server', s.url], { ...ENV, KEYTURN_HOME: home });
 * const [, code] = await login.waitFor(/enter the code {2}(\S+)/);
 * ```
 */
export function startKeyturn(args: string[], env: NodeJS.ProcessEnv): RunningKeyturn {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const watchers: Array<() => void> = [];
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    for (const check of [...watchers]) check();
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdin.end();
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (!match) return;
          watchers.splice(watchers.indexOf(check), 1);
          resolve(match);
        };
        watchers.push(check);
        check();
        void exited.then(() => reject(new Error(`keyturn ended before printing ${pattern}: ${out}${err}`)));
      });
    },
  };
}
