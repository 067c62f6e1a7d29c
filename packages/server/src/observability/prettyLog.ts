/** `--log-format pretty`: the JSON log lines rewritten for a person at a terminal. */

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/**
 * `12:04:05 WARN  sign-ins locked … event=lockout address=203.0.113.9` for one pino JSON line;
 * a line that is not JSON comes back as it was.
 *
 * @example
 * ```ts
 * prettyLine('{"level":30,"time":0,"msg":"hi"}'); // '00:00:00 INFO  hi\n'
 * ```
 */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '--:--:--';
  const level = (LEVELS[entry.level as number] ?? String(entry.level)).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key]) => !SKIP.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  return `${time} ${level} ${String(entry.msg ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}\n`;
}

/**
 * A log stream that writes `prettyLine` of each line to `out` (stdout by default).
 *
 * @example
 * ```ts
 * startServer(config, { logger: true, logStream: prettyStream() });
 * ```
 */
export function prettyStream(out: { write(text: string): unknown } = process.stdout): { write(line: string): void } {
  return { write: (line) => void out.write(prettyLine(line.trimEnd())) };
}
