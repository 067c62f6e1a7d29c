/** What a response, a log line or a database cell must never show: stack frames, SQL, server paths. */

/** Fragments that would show a stack trace, a SQL error or a server file path. */
export const LEAK_PATTERNS: RegExp[] = [
  /\bat [\w.<>]+ \(/, // stack frame "at fn (file:line)"
  /\bat (?:file|node):/,
  /\.(?:ts|js):\d+(?::\d+)?/,
  /\/(?:work|home|tmp|usr|root|node_modules)\//,
  /\bSELECT\b[\s\S]*\bFROM\b/i,
  /\bINSERT INTO\b/i,
  /\bUPDATE \w+ SET\b/i,
  /\bSQLITE_\w+/,
  /\bsyntax error\b/i,
  /\brelation "\w+"/,
  /\bTypeError\b|\bReferenceError\b|\bRangeError\b/,
];

/**
 * The first leak pattern found in `text`, or null.
 *
 * @example
 * ```ts
 * expect({ label, leak: leakIn(answer.body) }).toEqual({ label, leak: null });
 * ```
 */
export function leakIn(text: string): string | null {
  for (const p of LEAK_PATTERNS) {
    const m = p.exec(text);
    if (m) return `${p} matched "${m[0]}"`;
  }
  return null;
}
